package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// settingsTable returns the markdown table that starts with the "| YAML key |" header in file.
func settingsTable(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot, file))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "| YAML key |"):
			rows = append(rows, line)
		case len(rows) > 0 && strings.HasPrefix(line, "|"):
			rows = append(rows, line)
		case len(rows) > 0:
			return strings.Join(rows, "\n")
		}
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no settings table (a line starting \"| YAML key |\")", file)
	}
	return strings.Join(rows, "\n")
}

// TestReadmeSettingsTable keeps the README's settings table a copy of the
// one in docs/configuration.md, which the config package keeps true.
func TestReadmeSettingsTable(t *testing.T) {
	readme, docs := settingsTable(t, "README.md"), settingsTable(t, "docs/configuration.md")
	if readme != docs {
		t.Errorf("the settings table in README.md differs from docs/configuration.md; copy it over.\nREADME.md:\n%s\n\ndocs/configuration.md:\n%s", readme, docs)
	}
}
