package config

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Print writes the effective configuration as YAML, secrets redacted, each
// setting followed by a comment saying where its value came from (default,
// file, env or flag). Apart from the redacted secrets, the output is a valid
// configuration file.
func (c Config) Print(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# planbot effective configuration; secrets are shown as "+redacted)
	if c.ConfigFile != "" {
		fmt.Fprintf(bw, "# config file: %s\n", c.ConfigFile)
	}
	fmt.Fprintf(bw, "# serves: %s\n", c.serves())

	section := ""
	for _, s := range settings {
		name := s.key
		indent := ""
		if i := strings.IndexByte(s.key, '.'); i >= 0 {
			if sec := s.key[:i]; sec != section {
				section = sec
				fmt.Fprintf(bw, "%s:\n", sec)
			}
			name, indent = s.key[i+1:], "  "
		}
		line := fmt.Sprintf("%s%s: %s", indent, name, yamlValue(s, c))
		fmt.Fprintf(bw, "%-48s # %s\n", line, c.origin(s))
	}
	return bw.Flush()
}

// serves says which adapters this configuration runs.
func (c Config) serves() string {
	var on []string
	if c.Discord.Enabled() {
		on = append(on, fmt.Sprintf("discord (shard %d of %d)", c.Discord.ShardID, c.Discord.ShardCount))
	}
	if c.Telegram.Enabled() {
		on = append(on, "telegram ("+c.Telegram.Mode+")")
	}
	if len(on) == 0 {
		return "terminal chat only (no DISCORD_BOT_TOKEN or TELEGRAM_BOT_TOKEN)"
	}
	return strings.Join(on, ", ")
}

func (c Config) origin(s setting) string {
	if o, ok := c.origins[s.key]; ok {
		return o
	}
	if s.secret && !s.field(&c).(*Secret).IsSet() {
		return "not set"
	}
	return "default"
}

// yamlValue renders a value so that YAML reads it back as the same value.
func yamlValue(s setting, c Config) string {
	v := s.format(c)
	switch s.field(&c).(type) {
	case *string, *Secret:
		return strconv.Quote(v)
	}
	return v
}
