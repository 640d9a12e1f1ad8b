package telegram_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// user is a Telegram user talking to the bot through the emulator's client
// API, in a private chat (chat == id) or a group (chat < 0).
type user struct {
	t     *testing.T
	api   string // emulator base URL
	token string // the bot this user talks to
	id    int64
	chat  int64
	lang  string // language_code; "" sends none
}

func (u *user) group() bool { return u.chat != u.id }

func (u *user) from() map[string]any {
	from := map[string]any{"id": u.id, "is_bot": false, "first_name": "User", "username": "user" + itoa(u.id)}
	if u.lang != "" {
		from["language_code"] = u.lang
	}
	return from
}

func (u *user) chatObject() map[string]any {
	if u.group() {
		return map[string]any{"id": u.chat, "type": "group", "title": "Test group"}
	}
	return map[string]any{"id": u.chat, "type": "private", "first_name": "User"}
}

func (u *user) message(text string) map[string]any {
	return map[string]any{
		"botToken": u.token,
		"date":     time.Now().Unix(),
		"from":     u.from(),
		"chat":     u.chatObject(),
		"text":     text,
	}
}

// say sends text as a message; texts starting with "/" go as commands, with
// the bot_command entity Telegram clients add.
func (u *user) say(text string) {
	u.t.Helper()
	m := u.message(text)
	if !strings.HasPrefix(text, "/") {
		post(u.t, u.api, "/sendMessage", m, nil)
		return
	}
	word, _, _ := strings.Cut(text, " ")
	m["entities"] = []map[string]any{{"offset": 0, "length": len(utf16.Encode([]rune(word))), "type": "bot_command"}}
	post(u.t, u.api, "/sendCommand", m, nil)
}

// replyTo sends text as a reply to a message the bot sent.
func (u *user) replyTo(m botMessage, text string) {
	u.t.Helper()
	msg := u.message(text)
	msg["reply_to_message"] = map[string]any{
		"message_id": m.MessageID,
		"date":       time.Now().Unix(),
		"from":       map[string]any{"id": emulatorBotID, "is_bot": true, "first_name": "Bot", "username": emulatorBotName},
		"chat":       u.chatObject(),
		"text":       m.Message.Text,
	}
	post(u.t, u.api, "/sendMessage", msg, nil)
}

// press presses the inline button with callback data on the bot's message m.
func (u *user) press(m botMessage, data string) {
	u.t.Helper()
	post(u.t, u.api, "/sendCallback", map[string]any{
		"botToken": u.token,
		"from":     u.from(),
		"message": map[string]any{
			"message_id": m.MessageID,
			"date":       time.Now().Unix(),
			"chat":       u.chatObject(),
			"text":       m.Message.Text,
		},
		"data": data,
	}, nil)
}

// replies waits for the next n messages the bot sends to this user's chat.
func (u *user) replies(n int) []botMessage {
	u.t.Helper()
	return u.collect(func(got []botMessage) bool { return len(got) >= n })
}

// collect reads the bot's new messages in this chat until done says so.
func (u *user) collect(done func([]botMessage) bool) []botMessage {
	u.t.Helper()
	var got []botMessage
	deadline := time.Now().Add(replyWait)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var resp struct {
			Result []botMessage `json:"result"`
		}
		post(u.t, u.api, "/getUpdates", map[string]any{"token": u.token, "chatId": u.chat}, &resp)
		got = append(got, resp.Result...)
		if done(got) {
			return got
		}
		if time.Now().After(deadline) {
			u.t.Fatalf("chat %d: waited %v for the bot's replies; got %d: %q", u.chat, replyWait, len(got), texts(got))
		}
		<-tick.C
	}
}

// unread returns the bot's messages in this chat not read yet, without waiting.
func (u *user) unread() []botMessage {
	u.t.Helper()
	var resp struct {
		Result []botMessage `json:"result"`
	}
	post(u.t, u.api, "/getUpdates", map[string]any{"token": u.token, "chatId": u.chat}, &resp)
	return resp.Result
}

func texts(ms []botMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Message.Text)
	}
	return out
}

func joined(ms []botMessage) string {
	return strings.Join(texts(ms), "\n")
}
