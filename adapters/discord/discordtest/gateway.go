package discordtest

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// privilegedIntents need approval in the developer portal: server members,
// presences and message content. The fake refuses them with 4014.
const privilegedIntents = 1<<1 | 1<<8 | 1<<15

// writeTimeout bounds a gateway write, so a stuck bot cannot stall the fake.
const writeTimeout = 5 * time.Second

// conn is one gateway websocket.
type conn struct {
	ws *websocket.Conn
	mu sync.Mutex // one writer at a time
}

func (c *conn) write(frame []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, frame)
}

// close ends the connection with a close code, as Discord does for fatal errors.
func (c *conn) close(code int, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	msg := websocket.FormatCloseMessage(code, text)
	// The connection is closed either way; a failed close frame changes nothing.
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeTimeout)); err == nil {
		c.ws.Close()
		return
	}
	c.ws.Close()
}

// frame builds a gateway payload around raw JSON data, which is kept byte
// for byte (so a test can send what encoding/json would not).
func frame(op int, seq int64, name string, data []byte) []byte {
	var b strings.Builder
	b.WriteString(`{"op":`)
	b.WriteString(strconv.Itoa(op))
	if op == OpDispatch {
		b.WriteString(`,"s":`)
		b.WriteString(strconv.FormatInt(seq, 10))
		b.WriteString(`,"t":`)
		b.WriteString(strconv.Quote(name))
	} else {
		b.WriteString(`,"s":null,"t":null`)
	}
	b.WriteString(`,"d":`)
	if len(data) == 0 {
		data = []byte("null")
	}
	b.Write(data)
	b.WriteString("}")
	return []byte(b.String())
}

// serveGateway runs one gateway connection: HELLO, then IDENTIFY or RESUME,
// heartbeats and their ACKs, until either side closes.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the request
	}
	c := &conn{ws: ws}
	s.mu.Lock()
	s.conns[c] = true
	s.recordGatewayLocked(GatewayEvent{Name: "CONNECTED"})
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		if s.live == c {
			s.live = nil
		}
		s.mu.Unlock()
		ws.Close()
	}()

	if s.opts.SilentGateway {
		// Wait for the bot to give up; what it sends is not answered.
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}
	hello, _ := json.Marshal(map[string]int64{"heartbeat_interval": s.opts.HeartbeatInterval.Milliseconds()})
	if !s.send(c, OpHello, hello) {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(data, &p); err != nil {
			c.close(4002, "Error while decoding payload.")
			return
		}
		s.mu.Lock()
		s.recordGatewayLocked(GatewayEvent{FromBot: true, Op: p.Op, Data: p.D})
		s.mu.Unlock()
		switch p.Op {
		case OpHeartbeat:
			if !s.send(c, OpHeartbeatACK, nil) {
				return
			}
		case OpIdentify:
			if !s.identify(c, p.D) {
				return
			}
		case OpResume:
			if !s.resume(c, p.D) {
				return
			}
		case 3, 4, 8: // presence, voice state, member requests: nothing to do
		default:
			c.close(4001, "Unknown opcode.")
			return
		}
	}
}

// send writes a non-dispatch payload and records it.
func (s *Server) send(c *conn, op int, data []byte) bool {
	s.mu.Lock()
	s.recordGatewayLocked(GatewayEvent{Op: op, Data: data})
	s.mu.Unlock()
	return c.write(frame(op, 0, "", data)) == nil
}

// identify starts a new session on c, or closes c as Discord would.
func (s *Server) identify(c *conn, data json.RawMessage) bool {
	var id struct {
		Token   string  `json:"token"`
		Intents int     `json:"intents"`
		Shard   *[2]int `json:"shard"`
	}
	if json.Unmarshal(data, &id) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	switch {
	case strings.TrimPrefix(id.Token, "Bot ") != s.opts.Token:
		c.close(4004, "Authentication failed.")
		return false
	case s.opts.CloseOnIdentify != 0:
		c.close(s.opts.CloseOnIdentify, "Closed by the test.")
		return false
	case id.Intents&privilegedIntents != 0:
		c.close(4014, "Disallowed intent(s).")
		return false
	case id.Shard != nil && (id.Shard[1] < 1 || id.Shard[0] < 0 || id.Shard[0] >= id.Shard[1]):
		c.close(4010, "Invalid shard.")
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.live == c && s.sessionValid {
		c.close(4005, "Already authenticated.")
		return false
	}
	s.sessionID = "session-" + s.newID()
	s.sessionValid = true
	s.seq = 0
	s.log = nil
	s.live = c
	ready := map[string]any{
		"v":                  9,
		"user":               botUser(),
		"guilds":             []map[string]any{{"id": GuildID, "unavailable": true}},
		"session_id":         s.sessionID,
		"resume_gateway_url": s.gatewayURL(),
		"application":        map[string]any{"id": AppID, "flags": 0},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	raw, _ := json.Marshal(ready)
	s.dispatchLocked("READY", raw)
	return true
}

// resume continues the session on c, replaying what the bot missed, or
// answers op 9 when the session cannot be resumed.
func (s *Server) resume(c *conn, data json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(data, &r) != nil {
		c.close(4002, "Error while decoding payload.")
		return false
	}
	if strings.TrimPrefix(r.Token, "Bot ") != s.opts.Token {
		c.close(4004, "Authentication failed.")
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.sessionValid || r.SessionID != s.sessionID || r.Seq > s.seq {
		s.recordGatewayLocked(GatewayEvent{Op: OpInvalidSession, Data: json.RawMessage("false")})
		return c.write(frame(OpInvalidSession, 0, "", []byte("false"))) == nil
	}
	s.live = c
	for _, d := range s.log {
		if d.seq > r.Seq {
			s.recordGatewayLocked(GatewayEvent{Op: OpDispatch, Name: d.name, Seq: d.seq, Data: d.payload})
			if c.write(frame(OpDispatch, d.seq, d.name, d.payload)) != nil {
				return false
			}
		}
	}
	s.dispatchLocked("RESUMED", []byte(`{"_trace":["discordtest"]}`))
	return true
}

// dispatchLocked sends an event in the current session, or keeps it for the
// RESUME when no connection is live; s.mu must be held. Writing under the
// lock keeps events in sequence order.
func (s *Server) dispatchLocked(name string, payload []byte) {
	s.seq++
	s.log = append(s.log, dispatch{seq: s.seq, name: name, payload: payload})
	s.recordGatewayLocked(GatewayEvent{Op: OpDispatch, Name: name, Seq: s.seq, Data: payload})
	if s.live != nil && s.live.write(frame(OpDispatch, s.seq, name, payload)) != nil {
		s.live = nil // the event stays in the log for the RESUME
	}
}

// errNotConnected is returned by the faults when no bot is connected.
var errNotConnected = errors.New("discordtest: no bot is connected")

// Reconnect sends op 7: the bot should close and resume on a new connection.
// Events sent meanwhile wait for the RESUME.
func (s *Server) Reconnect() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.live
	if c == nil {
		return errNotConnected
	}
	s.live = nil
	s.recordGatewayLocked(GatewayEvent{Op: OpReconnect})
	return c.write(frame(OpReconnect, 0, "", nil))
}

// DropConnection cuts the bot's connection without a close frame, like a
// network failure. The session stays resumable.
func (s *Server) DropConnection() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.live
	if c == nil {
		return errNotConnected
	}
	s.live = nil
	s.recordGatewayLocked(GatewayEvent{Name: "DROPPED"})
	return c.ws.UnderlyingConn().Close()
}

// ExpireSession forgets the session without touching the connection, as when
// a bot stays away too long: its next RESUME is answered with op 9.
func (s *Server) ExpireSession() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessionValid = false
}

// InvalidateSession sends op 9 (not resumable): the bot must identify again,
// and events of the old session are lost, as on Discord.
func (s *Server) InvalidateSession() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.live
	if c == nil {
		return errNotConnected
	}
	s.live = nil
	s.sessionValid = false
	s.recordGatewayLocked(GatewayEvent{Op: OpInvalidSession, Data: json.RawMessage("false")})
	return c.write(frame(OpInvalidSession, 0, "", []byte("false")))
}
