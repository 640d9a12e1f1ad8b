package config

import (
	"fmt"
	"log/slog"
)

// redacted is what a set Secret prints as, wherever it is printed.
const redacted = "[REDACTED]"

// Secret is a token that never prints: String, GoString, Format, LogValue,
// MarshalJSON and MarshalText all redact it. Reveal returns the value for the
// one place that needs it (the platform client).
type Secret string

// Reveal returns the secret itself. Call it only where the value is handed to
// the platform client, never to build a message or a log line.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s != "" }

// String returns "[REDACTED]" for a set secret and "" for an empty one, so an
// operator can still see whether it was configured.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString redacts the secret under %#v.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret(%q)", s.String()) }

// Format redacts the secret under every verb (%s, %v, %q, %x, %d...), so no
// format string can print it by accident.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, s.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", s.String())
	default:
		fmt.Fprint(f, s.String())
	}
}

// LogValue redacts the secret in log/slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON redacts the secret in JSON (including slog's JSON handler).
func (s Secret) MarshalJSON() ([]byte, error) { return fmt.Appendf(nil, "%q", s.String()), nil }

// MarshalText redacts the secret for text encoders (YAML, and JSON map keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
