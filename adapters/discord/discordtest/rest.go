package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// api is the REST prefix discordgo uses.
const api = "/api/v9"

// route handles one REST endpoint: it fills in rec and returns the status and
// body to answer with.
type route func(r *http.Request, rec *Request) (int, any)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /gateway/", s.serveGateway)
	handle := func(pattern string, kind Kind, auth bool, fn route) {
		mux.HandleFunc(pattern, s.rest(kind, auth, fn))
	}
	handle("GET "+api+"/gateway", KindGateway, false, s.getGateway)
	handle("GET "+api+"/gateway/bot", KindGateway, true, s.getGatewayBot)
	handle("GET "+api+"/users/@me", KindMe, true, s.getMe)
	handle("PUT "+api+"/applications/{app}/commands", KindCommands, true, s.putCommands)
	handle("PUT "+api+"/applications/{app}/guilds/{guild}/commands", KindCommands, true, s.putCommands)
	handle("POST "+api+"/channels/{channel}/messages", KindMessage, true, s.postMessage)
	handle("POST "+api+"/interactions/{id}/{token}/callback", KindCallback, false, s.postCallback)
	handle("POST "+api+"/webhooks/{app}/{token}", KindFollowup, false, s.postFollowup)
	handle("PATCH "+api+"/webhooks/{app}/{token}/messages/{message}", KindEdit, false, s.patchOriginal)
	handle("/", KindOther, false, func(r *http.Request, rec *Request) (int, any) {
		rec.Problem = "the fake does not serve " + r.Method + " " + r.URL.Path
		return http.StatusNotFound, apiError{Code: 0, Message: "404: Not Found"}
	})
	return mux
}

// rest wraps a route: it reads the body, checks the bot token where Discord
// wants one, records the request and writes the answer.
func (s *Server) rest(kind Kind, auth bool, fn route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := Request{Kind: kind, Method: r.Method, Path: r.URL.Path, At: time.Now()}
		body, err := io.ReadAll(r.Body)
		rec.Body = body
		var status int
		var resp any
		switch {
		case err != nil:
			status, resp = http.StatusBadRequest, apiError{Message: "unreadable body"}
			rec.Problem = err.Error()
		case auth && r.Header.Get("Authorization") != "Bot "+s.opts.Token:
			status, resp = http.StatusUnauthorized, apiError{Code: 0, Message: "401: Unauthorized"}
			rec.Problem = "missing or wrong bot token"
		case s.refused(kind):
			status, resp = http.StatusForbidden, apiError{Code: 50001, Message: "Missing Access"}
			rec.Problem = "refused by the test"
		default:
			status, resp = fn(r, &rec)
		}
		rec.Status = status
		s.recordRequest(rec)
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, resp)
	}
}

func (s *Server) getGateway(*http.Request, *Request) (int, any) {
	return http.StatusOK, map[string]string{"url": s.gatewayURL()}
}

func (s *Server) getGatewayBot(*http.Request, *Request) (int, any) {
	return http.StatusOK, map[string]any{
		"url":    s.gatewayURL(),
		"shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1,
		},
	}
}

func (s *Server) getMe(*http.Request, *Request) (int, any) {
	return http.StatusOK, botUser()
}

func (s *Server) putCommands(r *http.Request, rec *Request) (int, any) {
	rec.GuildID = r.PathValue("guild")
	if app := r.PathValue("app"); app != AppID {
		rec.Problem = fmt.Sprintf("application %s is not the bot's (%s)", app, AppID)
		return http.StatusForbidden, apiError{Code: 50001, Message: "Missing Access"}
	}
	if err := json.Unmarshal(rec.Body, &rec.Commands); err != nil {
		rec.Problem = "invalid JSON: " + err.Error()
		return badForm()
	}
	if problem := checkCommands(rec.Commands); problem != "" {
		rec.Problem = problem
		return badForm()
	}
	out := make([]map[string]any, len(rec.Commands))
	for i, c := range rec.Commands {
		out[i] = map[string]any{
			"id": s.newID(), "application_id": AppID, "version": "1", "type": max(c.Type, 1),
			"name": c.Name, "description": c.Description, "guild_id": rec.GuildID,
		}
	}
	return http.StatusOK, out
}

func (s *Server) postMessage(r *http.Request, rec *Request) (int, any) {
	rec.ChannelID = r.PathValue("channel")
	m, problem := checkMessage(rec.Body, true)
	rec.Message = m
	if problem != "" {
		rec.Problem = problem
		return badForm()
	}
	if m.Flags&flagEphemeral != 0 {
		rec.Problem = "channel messages cannot be ephemeral"
		return badForm()
	}
	if m.Reference != nil && s.opts.NoMessageHistory {
		rec.Problem = "replying needs Read Message History"
		return http.StatusForbidden, apiError{Code: 50013, Message: "Missing Permissions"}
	}
	return http.StatusOK, s.messageObject(rec.ChannelID, m.Content)
}

func (s *Server) postCallback(r *http.Request, rec *Request) (int, any) {
	id, token := r.PathValue("id"), r.PathValue("token")
	rec.InteractionID = id
	var cb struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if problem := decode(rec.Body, &cb); problem != "" {
		rec.Problem = problem
		return badForm()
	}
	rec.CallbackType = cb.Type

	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.interactions[id]
	switch {
	case !ok || in.token != token:
		rec.Problem = "unknown interaction or wrong token"
		return http.StatusNotFound, apiError{Code: 10062, Message: "Unknown interaction"}
	case in.acked:
		rec.Problem = "interaction already acknowledged"
		return http.StatusBadRequest, apiError{Code: 40060, Message: "Interaction has already been acknowledged."}
	case time.Since(in.sent) > s.opts.InteractionDeadline:
		rec.Problem = fmt.Sprintf("first response after %v; Discord allows %v", time.Since(in.sent).Round(time.Millisecond), s.opts.InteractionDeadline)
		return http.StatusNotFound, apiError{Code: 10062, Message: "Unknown interaction"}
	}
	switch cb.Type {
	case CallbackMessage, 7:
		m, problem := checkMessage(cb.Data, true)
		rec.Message = m
		if problem != "" {
			rec.Problem = problem
			return badForm()
		}
	case CallbackDeferredMessage, 6:
	case CallbackAutocomplete:
		var data struct {
			Choices []Choice `json:"choices"`
		}
		if problem := decode(cb.Data, &data); problem != "" {
			rec.Problem = problem
			return badForm()
		}
		rec.Choices = data.Choices
		if problem := checkChoices(data.Choices); problem != "" {
			rec.Problem = problem
			return badForm()
		}
	default:
		rec.Problem = fmt.Sprintf("interaction response type %d is not one a gateway bot sends", cb.Type)
		return badForm()
	}
	in.acked = true
	return http.StatusNoContent, nil
}

func (s *Server) postFollowup(r *http.Request, rec *Request) (int, any) {
	in, status, resp := s.webhook(r, rec)
	if in == nil {
		return status, resp
	}
	m, problem := checkMessage(rec.Body, true)
	rec.Message = m
	if problem != "" {
		rec.Problem = problem
		return badForm()
	}
	return http.StatusOK, s.messageObject("", m.Content)
}

func (s *Server) patchOriginal(r *http.Request, rec *Request) (int, any) {
	in, status, resp := s.webhook(r, rec)
	if in == nil {
		return status, resp
	}
	if msg := r.PathValue("message"); msg != "@original" {
		rec.Problem = "the fake only edits @original, not " + msg
		return http.StatusNotFound, apiError{Code: 10008, Message: "Unknown Message"}
	}
	m, problem := checkMessage(rec.Body, false)
	rec.Message = m
	if problem != "" {
		rec.Problem = problem
		return badForm()
	}
	return http.StatusOK, s.messageObject("", m.Content)
}

// webhook finds the acknowledged interaction an interaction webhook belongs to.
func (s *Server) webhook(r *http.Request, rec *Request) (*interaction, int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.byToken[r.PathValue("token")]
	if !ok || r.PathValue("app") != AppID || !in.acked {
		rec.Problem = "no acknowledged interaction with this token"
		return nil, http.StatusNotFound, apiError{Code: 10015, Message: "Unknown Webhook"}
	}
	rec.InteractionID = in.id
	return in, 0, nil
}

// messageObject is the message Discord returns for a created message.
func (s *Server) messageObject(channelID, content string) map[string]any {
	return map[string]any{
		"id": s.newID(), "channel_id": channelID, "content": content, "type": 0,
		"author": botUser(), "timestamp": time.Now().UTC().Format(time.RFC3339),
	}
}

func botUser() map[string]any {
	return map[string]any{"id": BotID, "username": "planbot", "discriminator": "0", "bot": true}
}

func badForm() (int, any) {
	return http.StatusBadRequest, apiError{Code: 50035, Message: "Invalid Form Body"}
}

// decode parses a JSON body, returning a problem instead of an error.
func decode(body []byte, v any) string {
	if err := json.Unmarshal(body, v); err != nil {
		return "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	return ""
}
