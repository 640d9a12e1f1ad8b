package telegram_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// hostileCase is one message of testdata/hostile.yaml.
type hostileCase struct {
	Name  string        `yaml:"name"`
	Text  string        `yaml:"text"`
	Parts []hostilePart `yaml:"parts"`
	Lang  string        `yaml:"lang"`
	Group bool          `yaml:"group"`
	Want  []string      `yaml:"want"`
}

type hostilePart struct {
	Text   string `yaml:"text"`
	Hex    string `yaml:"hex"`
	Repeat string `yaml:"repeat"`
	Times  int    `yaml:"times"`
}

func (c hostileCase) message(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(c.Text)
	for _, p := range c.Parts {
		switch {
		case p.Hex != "":
			raw, err := hex.DecodeString(strings.ReplaceAll(p.Hex, " ", ""))
			if err != nil {
				t.Fatalf("case %q: hex %q: %v", c.Name, p.Hex, err)
			}
			b.Write(raw)
		case p.Repeat != "":
			b.WriteString(strings.Repeat(p.Repeat, p.Times))
		default:
			b.WriteString(p.Text)
		}
	}
	if c.Group {
		return "@TestNameBot " + b.String()
	}
	return b.String()
}

// hostileBound is how long a hostile message may take to be answered,
// measured on the emulator's clock from the message to the last part of the
// reply. It is generous for a loaded CI machine with the race detector; the
// answers take milliseconds.
const hostileBound = 10 * time.Second

func TestHostileInput(t *testing.T) {
	data, err := os.ReadFile("testdata/hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var cases []hostileCase
	if err := dec.Decode(&cases); err != nil {
		t.Fatalf("testdata/hostile.yaml: %v", err)
	}
	h := newHarness(t, nil)
	h.start(h.options())

	// Send everything first, each from its own user, so the cases run at
	// once and no rate limit applies; then check each reply.
	users := make([]*user, len(cases))
	for i, tc := range cases {
		var chat int64
		if tc.Group {
			chat = -int64(8000 + i)
		}
		lang := tc.Lang
		if lang == "" {
			lang = "en"
		}
		users[i] = h.user(int64(8000+i), chat, lang)
		users[i].say(tc.message(t))
	}
	asked := map[int64]int64{} // chat -> when the emulator took the message
	for _, item := range history(t, h.api, h.token) {
		if item.Message != nil && item.Message.Chat != nil {
			asked[item.Message.Chat.ID] = item.Time
		}
	}
	for i, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			u := users[i]
			u.t = t
			got := u.replies(1)
			for _, m := range got {
				checkWellFormed(t, m)
			}
			if took := time.Duration(got[len(got)-1].Time-asked[u.chat]) * time.Millisecond; took > hostileBound {
				t.Errorf("reply took %v; want under %v", took, hostileBound)
			}
			if u.group() && got[0].Message.ReplyParameters == nil {
				t.Errorf("group reply does not thread to the message")
			}
			for _, w := range tc.Want {
				if !strings.Contains(strings.ToLower(joined(got)), strings.ToLower(w)) {
					t.Errorf("Answer(%q) = %q; want it to contain %q", clip(tc.message(t)), clip(joined(got)), w)
				}
			}
		})
	}
}
