package discordtest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// UserMessage is a message a user posts, dispatched as MESSAGE_CREATE.
type UserMessage struct {
	// ChannelID defaults to a fresh channel.
	ChannelID string
	// DM makes it a direct message; otherwise it comes from GuildID.
	DM bool
	// UserID is the author (default "100").
	UserID string
	// Bot marks the author as a bot.
	Bot bool
	// Content is sent byte for byte, invalid UTF-8 included.
	Content string
	// MentionBot lists the bot among the mentioned users, as Discord does
	// when the content holds <@BotID>.
	MentionBot bool
	// MentionEveryone is set when the content pings @everyone.
	MentionEveryone bool
	// MentionRoles are role ids the content mentions.
	MentionRoles []string
}

// PostMessage dispatches a user's message and returns its id and channel.
func (s *Server) PostMessage(m UserMessage) (id, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = s.newID()
	channelID = m.ChannelID
	if channelID == "" {
		channelID = s.newID()
	}
	author := user(m.UserID, m.Bot)
	mentions := []map[string]any{}
	if m.MentionBot {
		mentions = append(mentions, botUser())
	}
	roles := m.MentionRoles
	if roles == nil {
		roles = []string{}
	}
	fields := []field{
		{"id", id}, {"channel_id", channelID}, {"author", author},
		{"content", rawString(m.Content)}, {"timestamp", time.Now().UTC().Format(time.RFC3339)},
		{"tts", false}, {"mention_everyone", m.MentionEveryone}, {"mentions", mentions},
		{"mention_roles", roles}, {"attachments", []any{}}, {"embeds", []any{}}, {"type", 0},
	}
	if !m.DM {
		fields = append(fields, field{"guild_id", GuildID}, field{"member", map[string]any{"roles": []string{}}})
	}
	s.dispatchLocked("MESSAGE_CREATE", object(fields))
	return id, channelID
}

// Interaction types (Discord's numbers).
const (
	InteractionCommand      = 2
	InteractionComponent    = 3
	InteractionAutocomplete = 4
)

// UserInteraction is a slash command, autocomplete request or button press,
// dispatched as INTERACTION_CREATE.
type UserInteraction struct {
	// Type is InteractionCommand, InteractionComponent or InteractionAutocomplete.
	Type int
	// ChannelID defaults to a fresh channel.
	ChannelID string
	// DM makes it come from a direct message; otherwise from GuildID.
	DM bool
	// UserID is who used it (default "100").
	UserID string
	// Locale is the user's client locale (default "en-US").
	Locale string
	// Command and Options describe a slash command or autocomplete request.
	Command string
	Options []Option
	// CustomID is the pressed button's custom id.
	CustomID string
}

// Option is a slash command option as the user filled it in.
type Option struct {
	Name, Value string
	// Focused marks the option being typed, for autocomplete.
	Focused bool
}

// PostInteraction dispatches an interaction and returns its id and channel.
// The three-second window for its response starts now.
func (s *Server) PostInteraction(in UserInteraction) (id, channelID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id = s.newID()
	token := "itoken-" + s.newID()
	channelID = in.ChannelID
	if channelID == "" {
		channelID = s.newID()
	}
	locale := in.Locale
	if locale == "" {
		locale = "en-US"
	}
	var data []field
	switch in.Type {
	case InteractionComponent:
		data = []field{{"custom_id", in.CustomID}, {"component_type", 2}}
	default:
		opts := make([]json.RawMessage, len(in.Options))
		for i, o := range in.Options {
			opts[i] = object([]field{{"name", o.Name}, {"type", 3}, {"value", rawString(o.Value)}, {"focused", o.Focused}})
		}
		data = []field{{"id", "800000000000000001"}, {"name", in.Command}, {"type", 1}, {"options", opts}}
	}
	fields := []field{
		{"id", id}, {"application_id", AppID}, {"type", in.Type}, {"data", object(data)},
		{"channel_id", channelID}, {"token", token}, {"version", 1}, {"locale", locale},
	}
	if in.DM {
		fields = append(fields, field{"user", user(in.UserID, false)}, field{"context", 1})
	} else {
		fields = append(fields,
			field{"guild_id", GuildID}, field{"guild_locale", "en-US"}, field{"context", 0},
			field{"member", map[string]any{"user": user(in.UserID, false), "roles": []string{}}})
	}
	if in.Type == InteractionComponent {
		fields = append(fields, field{"message", map[string]any{"id": s.newID(), "channel_id": channelID, "author": botUser(), "content": ""}})
	}
	it := &interaction{id: id, token: token, sent: time.Now()}
	s.interactions[id] = it
	s.byToken[token] = it
	s.dispatchLocked("INTERACTION_CREATE", object(fields))
	return id, channelID
}

func user(id string, bot bool) map[string]any {
	if id == "" {
		id = "100"
	}
	return map[string]any{"id": id, "username": "user" + id, "discriminator": "0", "bot": bot}
}

// field is one member of a JSON object built by object.
type field struct {
	name  string
	value any
}

// object renders fields as a JSON object; json.RawMessage values are written
// byte for byte.
func object(fields []field) json.RawMessage {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(f.name))
		b.WriteByte(':')
		if raw, ok := f.value.(json.RawMessage); ok {
			b.Write(raw)
			continue
		}
		v, err := json.Marshal(f.value)
		if err != nil {
			panic(fmt.Sprintf("discordtest: field %s: %v", f.name, err)) // a bug in the fake
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String())
}

// rawString quotes s as a JSON string, escaping what JSON requires and
// leaving every other byte alone, so invalid UTF-8 reaches the bot as sent.
func rawString(s string) json.RawMessage {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			if r, size := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || size != 1 {
				b.WriteString(s[i : i+size])
				i += size
				continue
			}
			b.WriteByte(c) // an invalid byte, kept
		}
		i++
	}
	b.WriteByte('"')
	return json.RawMessage(b.String())
}

// Decoded is the text a bot gets for content the fake sends: Go's JSON
// decoder, which discordgo uses, turns each invalid UTF-8 byte into U+FFFD.
func Decoded(content string) string {
	var s string
	if err := json.Unmarshal(rawString(content), &s); err != nil {
		panic(fmt.Sprintf("discordtest: a string the fake quoted does not decode: %v", err)) // a bug in the fake
	}
	return s
}
