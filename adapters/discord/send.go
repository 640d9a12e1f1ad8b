package discord

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/planbot/planbot/bot"
)

const (
	// maxContent is Discord's limit on a message's content. It is counted here
	// in UTF-16 code units, which is never less than Discord's count.
	maxContent = 2000
	// maxChunks bounds the messages one answer may become, so that a runaway
	// answer cannot flood a channel.
	maxChunks = 10
	// suggestionPrefix starts the custom id of a suggestion button; the rest
	// is the bot.Suggestion key.
	suggestionPrefix = "s:"
	maxButtonLabel   = 80
	buttonsPerRow    = 5
	maxRows          = 5
)

// noPings is the allowed_mentions every message carries. The parse list must
// be empty, not absent: discordgo's zero value sends null, which lets Discord
// fall back to pinging whatever the content mentions, @everyone included.
func noPings() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// reply is an answer in Discord's form: its text in chunks that each fit one
// message, and suggestion buttons that go under the last chunk.
type reply struct {
	chunks     []string
	components []discordgo.MessageComponent
}

// format turns an answer into a reply.
func format(a bot.Answer) reply {
	chunks := split(escapeMarkdown(clean(a.Text)), maxContent)
	if len(chunks) > maxChunks {
		chunks = chunks[:maxChunks]
		last := []rune(chunks[maxChunks-1])
		chunks[maxChunks-1] = string(last[:len(last)-1]) + "…"
	}
	return reply{chunks: chunks, components: buttons(a.Suggestions)}
}

// notice is a one-chunk reply for a plain sentence from bot, such as the rate
// limit notice.
func notice(text string) reply {
	return reply{chunks: split(escapeMarkdown(clean(text)), maxContent)}
}

// components returns the buttons for chunk i of n: only the last has them.
func (r reply) componentsFor(i int) []discordgo.MessageComponent {
	if i == len(r.chunks)-1 {
		return r.components
	}
	return nil
}

// buttons renders suggestions as rows of buttons whose custom ids carry the
// suggestion keys.
func buttons(suggestions []bot.Suggestion) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	for _, s := range suggestions {
		// Discord refuses a message whose buttons share a custom id.
		if s.Key == "" || strings.TrimSpace(s.Text) == "" || seen[s.Key] {
			continue
		}
		seen[s.Key] = true
		if len(rows) == maxRows {
			break
		}
		row = append(row, discordgo.Button{
			Label:    truncate(clean(s.Text), maxButtonLabel),
			Style:    discordgo.SecondaryButton,
			CustomID: suggestionPrefix + s.Key,
		})
		if len(row) == buttonsPerRow {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 && len(rows) < maxRows {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

// clean makes text valid UTF-8 without control characters other than
// newlines and tabs, which Discord would reject or show as garbage.
func clean(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, text)
}

// escapeMarkdown makes Discord show text literally: the answer is plain text,
// so a * or _ in it must not turn into formatting, nor a @ into a mention.
// URLs are left alone, since Discord links them before reading markdown.
func escapeMarkdown(text string) string {
	var sb strings.Builder
	sb.Grow(len(text) + len(text)/8)
	lineStart := true
	for i := 0; i < len(text); {
		if isURLAt(text, i) {
			end := i + strings.IndexFunc(text[i:]+" ", unicode.IsSpace)
			sb.WriteString(text[i:end])
			i, lineStart = end, false
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case strings.ContainsRune("\\*_~`|<>[]@#", r), r == '-' && lineStart:
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
		i += size
		if r == '\n' {
			lineStart = true
		} else if r != ' ' {
			lineStart = false
		}
	}
	return sb.String()
}

func isURLAt(text string, i int) bool {
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	rest := text[i:]
	return strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://")
}

// split cuts text into chunks of at most limit UTF-16 code units, preferring
// to cut at a line break, then at a space, and never inside an escape or a
// character sequence such as an emoji with a modifier.
func split(text string, limit int) []string {
	var chunks []string
	for {
		text = strings.TrimLeft(text, " \n")
		if text == "" {
			return chunks
		}
		end := prefixLen(text, limit)
		if end == len(text) {
			return append(chunks, strings.TrimRight(text, " \n"))
		}
		cut := end
		if i := strings.LastIndexByte(text[:end], '\n'); i > end/2 {
			cut = i
		} else if i := strings.LastIndexByte(text[:end], ' '); i > end/2 {
			cut = i
		} else {
			cut = keepTogether(text, end)
		}
		if chunk := strings.TrimRight(text[:cut], " \n"); chunk != "" {
			chunks = append(chunks, chunk)
		}
		text = text[cut:]
	}
}

// prefixLen is the byte length of text's longest prefix of at most limit
// UTF-16 code units.
func prefixLen(text string, limit int) int {
	units := 0
	for i, r := range text {
		units += utf16.RuneLen(r)
		if units > limit {
			return i
		}
	}
	return len(text)
}

// keepTogether moves a cut at byte end back so that it does not separate a
// backslash from what it escapes, or a character from the joiner, variation
// selector or modifier that belongs to it.
func keepTogether(text string, end int) int {
	for cut, steps := end, 0; cut > 0 && steps < 16; steps++ {
		before, _ := utf8.DecodeLastRuneInString(text[:cut])
		after, _ := utf8.DecodeRuneInString(text[cut:])
		if before != '\\' && before != '\u200d' && !joinsPrevious(after) {
			return cut
		}
		cut -= utf8.RuneLen(before)
	}
	return end
}

func joinsPrevious(r rune) bool {
	return r == '\u200d' || r == '\ufe0f' || r == '\u20e3' ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || unicode.Is(unicode.Mn, r)
}

// truncate shortens text to at most n runes, marking the cut with an ellipsis.
func truncate(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n-1]) + "…"
}

// sendMessage posts a reply in a channel, the first chunk as a reply to the
// message replyTo (if any). It stops at the first failure, logged and counted.
func (b *Bot) sendMessage(ctx context.Context, channelID, replyTo string, r reply) {
	for i, chunk := range r.chunks {
		m := &discordgo.MessageSend{
			Content:         chunk,
			Components:      r.componentsFor(i),
			AllowedMentions: noPings(),
		}
		if i == 0 && replyTo != "" {
			m.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channelID, FailIfNotExists: new(false)}
		}
		_, err := b.session.ChannelMessageSendComplex(channelID, m, discordgo.WithContext(ctx))
		if err != nil && m.Reference != nil && missingPermissions(err) {
			// Replying needs the Read Message History permission; without
			// it the answer still goes out, as a plain message.
			b.log.Warn("cannot reply without the Read Message History permission; answering without the reply", "channel", channelID)
			m.Reference = nil
			_, err = b.session.ChannelMessageSendComplex(channelID, m, discordgo.WithContext(ctx))
		}
		if err != nil {
			b.failed("send_message", err)
			return
		}
	}
}

// missingPermissions reports whether Discord refused a call for lack of a
// permission (JSON error code 50013).
func missingPermissions(err error) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeMissingPermissions
}

// failed logs a failed Discord call, without secrets, and counts it.
func (b *Bot) failed(op string, err error, secrets ...string) {
	b.log.Error("discord call failed", "op", op, "error", b.scrub(err, secrets...))
	b.observer.PlatformError(op)
}
