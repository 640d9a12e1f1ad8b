package discordtest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Discord's limits, as the fake enforces them.
const (
	MaxContent     = 2000 // characters in a message
	maxRows        = 5
	maxPerRow      = 5
	maxLabel       = 80
	maxCustomID    = 100
	maxChoices     = 25
	maxChoiceName  = 100
	maxCommands    = 100
	maxOptions     = 25
	maxDescription = 100
	flagEphemeral  = 1 << 6
	allowedFlags   = 1<<2 | flagEphemeral | 1<<12 // suppress embeds, ephemeral, suppress notifications
)

// commandName is Discord's rule for command and option names.
var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

// locales are the locale keys Discord accepts that the tests may meet.
var locales = map[string]bool{
	"en-US": true, "en-GB": true, "zh-CN": true, "zh-TW": true, "fr": true, "de": true, "ja": true, "ko": true,
}

// checkMessage parses a message body and reports what Discord would reject in
// it; needContent says whether the message must have content or components
// (creating a message) or may leave them out (editing one).
func checkMessage(body []byte, needContent bool) (Message, string) {
	var m Message
	if !utf8.Valid(body) {
		return m, "body is not valid UTF-8"
	}
	if problem := decode(body, &m); problem != "" {
		return m, problem
	}
	if n := utf8.RuneCountInString(m.Content); n > MaxContent {
		return m, fmt.Sprintf("content is %d characters; Discord allows %d", n, MaxContent)
	}
	if needContent && m.Content == "" && len(m.Components) == 0 {
		return m, "cannot send an empty message"
	}
	if m.Flags&^allowedFlags != 0 {
		return m, fmt.Sprintf("flags %d are not allowed on a message", m.Flags)
	}
	if problem := checkAllowedMentions(m.AllowedMentions); problem != "" {
		return m, problem
	}
	return m, checkComponents(m.Components)
}

func checkAllowedMentions(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var am struct {
		Parse []string `json:"parse"`
		Users []string `json:"users"`
		Roles []string `json:"roles"`
	}
	if problem := decode(raw, &am); problem != "" {
		return "allowed_mentions: " + problem
	}
	for _, p := range am.Parse {
		switch p {
		case "users":
			if len(am.Users) > 0 {
				return "allowed_mentions: parse users and a users list are mutually exclusive"
			}
		case "roles":
			if len(am.Roles) > 0 {
				return "allowed_mentions: parse roles and a roles list are mutually exclusive"
			}
		case "everyone":
		default:
			return fmt.Sprintf("allowed_mentions: unknown parse type %q", p)
		}
	}
	return ""
}

func checkComponents(rows []Row) string {
	if len(rows) > maxRows {
		return fmt.Sprintf("%d action rows; Discord allows %d", len(rows), maxRows)
	}
	seen := map[string]bool{}
	for i, row := range rows {
		if row.Type != 1 {
			return fmt.Sprintf("component %d is type %d, not an action row", i, row.Type)
		}
		if len(row.Components) == 0 || len(row.Components) > maxPerRow {
			return fmt.Sprintf("action row %d has %d buttons; Discord allows 1 to %d", i, len(row.Components), maxPerRow)
		}
		for _, b := range row.Components {
			if b.Type != 2 {
				return fmt.Sprintf("row %d holds a component of type %d; only buttons are expected", i, b.Type)
			}
			if n := utf8.RuneCountInString(b.Label); n > maxLabel {
				return fmt.Sprintf("button label is %d characters; Discord allows %d", n, maxLabel)
			}
			switch {
			case b.Style == 5:
				if b.URL == "" || b.CustomID != "" {
					return "a link button needs a url and no custom_id"
				}
			case b.Style >= 1 && b.Style <= 4:
				if n := utf8.RuneCountInString(b.CustomID); n == 0 || n > maxCustomID {
					return fmt.Sprintf("custom_id is %d characters; Discord wants 1 to %d", n, maxCustomID)
				}
				if seen[b.CustomID] {
					return fmt.Sprintf("custom_id %q is used twice in one message", b.CustomID)
				}
				seen[b.CustomID] = true
			default:
				return fmt.Sprintf("unknown button style %d", b.Style)
			}
		}
	}
	return ""
}

func checkChoices(choices []Choice) string {
	if len(choices) > maxChoices {
		return fmt.Sprintf("%d autocomplete choices; Discord allows %d", len(choices), maxChoices)
	}
	for _, c := range choices {
		if n := utf8.RuneCountInString(c.Name); n == 0 || n > maxChoiceName {
			return fmt.Sprintf("choice name is %d characters; Discord wants 1 to %d", n, maxChoiceName)
		}
		if v, ok := c.Value.(string); ok && utf8.RuneCountInString(v) > maxChoiceName {
			return fmt.Sprintf("choice value is %d characters; Discord allows %d", utf8.RuneCountInString(v), maxChoiceName)
		}
	}
	return ""
}

func checkCommands(cmds []Command) string {
	if len(cmds) > maxCommands {
		return fmt.Sprintf("%d commands; Discord allows %d", len(cmds), maxCommands)
	}
	names := map[string]bool{}
	for _, c := range cmds {
		if problem := checkName("command", c.Name, c.NameLocalizations); problem != "" {
			return problem
		}
		if names[c.Name] {
			return fmt.Sprintf("command %q is registered twice", c.Name)
		}
		names[c.Name] = true
		if problem := checkDescription(c.Name, c.Description, c.DescriptionLocalizations); problem != "" {
			return problem
		}
		if len(c.Options) > maxOptions {
			return fmt.Sprintf("command %q has %d options; Discord allows %d", c.Name, len(c.Options), maxOptions)
		}
		optional := false
		for _, o := range c.Options {
			if problem := checkName("option", o.Name, o.NameLocalizations); problem != "" {
				return problem
			}
			if problem := checkDescription(c.Name+" "+o.Name, o.Description, o.DescriptionLocalizations); problem != "" {
				return problem
			}
			if o.Required && optional {
				return fmt.Sprintf("command %q: required option %q follows an optional one", c.Name, o.Name)
			}
			optional = optional || !o.Required
		}
	}
	return ""
}

func checkName(what, name string, localized map[string]string) string {
	for locale, n := range localized {
		if !locales[locale] {
			return fmt.Sprintf("%s %q: unknown locale %q", what, name, locale)
		}
		if !commandName.MatchString(n) || n != strings.ToLower(n) {
			return fmt.Sprintf("%s %q: invalid %s name %q", what, name, locale, n)
		}
	}
	if !commandName.MatchString(name) || name != strings.ToLower(name) {
		return fmt.Sprintf("invalid %s name %q: Discord wants 1 to 32 lower-case letters, digits, - or _", what, name)
	}
	return ""
}

func checkDescription(name, desc string, localized map[string]string) string {
	if n := utf8.RuneCountInString(desc); n == 0 || n > maxDescription {
		return fmt.Sprintf("%q: description is %d characters; Discord wants 1 to %d", name, n, maxDescription)
	}
	for locale, d := range localized {
		if !locales[locale] {
			return fmt.Sprintf("%q: unknown description locale %q", name, locale)
		}
		if n := utf8.RuneCountInString(d); n == 0 || n > maxDescription {
			return fmt.Sprintf("%q: %s description is %d characters; Discord wants 1 to %d", name, locale, n, maxDescription)
		}
	}
	return ""
}
