package discordtest

import (
	"bytes"
	"encoding/json"
	"time"
)

// Kind says what a REST request was for.
type Kind string

// The kinds of request the fake tells apart.
const (
	KindGateway  Kind = "gateway"  // GET /gateway or /gateway/bot
	KindMe       Kind = "me"       // GET /users/@me
	KindCommands Kind = "commands" // PUT application commands (bulk overwrite)
	KindMessage  Kind = "message"  // POST a channel message
	KindCallback Kind = "callback" // POST an interaction response
	KindFollowup Kind = "followup" // POST a follow-up message to an interaction
	KindEdit     Kind = "edit"     // PATCH an interaction's original response
	KindOther    Kind = "other"    // anything the fake does not serve (404)
)

// Interaction response types (Discord's numbers).
const (
	CallbackMessage         = 4 // a message answering the interaction
	CallbackDeferredMessage = 5 // "thinking…", the message follows by edit
	CallbackAutocomplete    = 8 // autocomplete choices
)

// Request is one REST request the fake received.
type Request struct {
	Kind         Kind
	Method, Path string
	// Status is what the fake answered; Problem says why when it refused the
	// request as Discord would (400 Invalid Form Body, 404 Unknown interaction).
	Status  int
	Problem string
	Body    []byte
	At      time.Time

	// ChannelID is the channel of a KindMessage request.
	ChannelID string
	// InteractionID is the interaction a callback, follow-up or edit belongs to.
	InteractionID string
	// CallbackType is the response type of a KindCallback request.
	CallbackType int
	// Message is the message a request would show: the body of a channel
	// message, follow-up or edit, or the data of a message callback.
	Message Message
	// Choices are the choices of an autocomplete callback.
	Choices []Choice
	// GuildID and Commands describe a KindCommands request ("" is global).
	GuildID  string
	Commands []Command
}

// Shows reports whether the request put a message in front of users: a
// refused request showed nothing.
func (r Request) Shows() bool {
	if r.Status >= 300 {
		return false
	}
	switch r.Kind {
	case KindMessage, KindFollowup, KindEdit:
		return true
	case KindCallback:
		return r.CallbackType == CallbackMessage || r.CallbackType == 7
	default:
		return false
	}
}

// Message is a message the bot sent, as the fake parsed it.
type Message struct {
	Content string `json:"content"`
	Flags   int    `json:"flags"`
	// AllowedMentions is kept raw so that an explicitly empty parse list can
	// be told from a null one.
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Components      []Row           `json:"components"`
	Reference       *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// PingsNobody reports whether the message's allowed_mentions is present with
// an explicitly empty parse list and allows no user, role or replied user:
// whatever its content says, nobody is notified.
func (m Message) PingsNobody() bool {
	var am struct {
		Parse       json.RawMessage `json:"parse"`
		Users       []string        `json:"users"`
		Roles       []string        `json:"roles"`
		RepliedUser bool            `json:"replied_user"`
	}
	if len(m.AllowedMentions) == 0 || bytes.Equal(m.AllowedMentions, []byte("null")) {
		return false
	}
	if err := json.Unmarshal(m.AllowedMentions, &am); err != nil {
		return false
	}
	return bytes.Equal(bytes.TrimSpace(am.Parse), []byte("[]")) && len(am.Users) == 0 && len(am.Roles) == 0 && !am.RepliedUser
}

// Buttons returns the message's buttons, row by row.
func (m Message) Buttons() []Button {
	var bs []Button
	for _, row := range m.Components {
		bs = append(bs, row.Components...)
	}
	return bs
}

// Row is an action row of components.
type Row struct {
	Type       int      `json:"type"`
	Components []Button `json:"components"`
}

// Button is a message button.
type Button struct {
	Type     int    `json:"type"`
	Style    int    `json:"style"`
	Label    string `json:"label"`
	CustomID string `json:"custom_id"`
	URL      string `json:"url"`
}

// Choice is an autocomplete choice.
type Choice struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Command is a slash command as registered.
type Command struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Options                  []CommandOption   `json:"options"`
}

// CommandOption is a slash command's option.
type CommandOption struct {
	Type                     int               `json:"type"`
	Name                     string            `json:"name"`
	NameLocalizations        map[string]string `json:"name_localizations"`
	Description              string            `json:"description"`
	DescriptionLocalizations map[string]string `json:"description_localizations"`
	Required                 bool              `json:"required"`
	Autocomplete             bool              `json:"autocomplete"`
}

// GatewayEvent is one gateway payload, from the bot or from the fake, or a
// connection the fake dropped.
type GatewayEvent struct {
	// FromBot is true for what the bot sent (IDENTIFY, RESUME, heartbeats).
	FromBot bool
	Op      int
	// Name is a dispatch's event name (READY, RESUMED, MESSAGE_CREATE...),
	// CONNECTED when a gateway connection opened, or DROPPED when the fake
	// cut one.
	Name string
	Seq  int64
	Data json.RawMessage
	At   time.Time
}

// Gateway opcodes (Discord's numbers).
const (
	OpDispatch       = 0
	OpHeartbeat      = 1
	OpIdentify       = 2
	OpResume         = 6
	OpReconnect      = 7
	OpInvalidSession = 9
	OpHello          = 10
	OpHeartbeatACK   = 11
)
