// Package script runs scripted conversations, written in YAML, against the
// engine: scripts are one more platform that turns messages into engine calls,
// and their expectations make the conversations regression tests.
//
// A script file holds one document:
//
//	name: pairings
//	conversations:
//	  - name: follow-up on a pairing
//	    locale: en                 # optional: en or zh
//	    turns:
//	      - ask: Who is Zhangjiajie paired with?
//	        expect:
//	          contains: [Nanjing]          # every item must appear (case-insensitive)
//	          not_contains: [Foshan]       # none may appear
//	          intent: partner_of           # optional
//	          fallback: false              # optional
//	          regex: "(?i)nanjing"         # optional, must match the answer
//
// Decoding is strict: an unknown key, a missing ask, an expect without checks,
// a bad regex or an empty file is an *Error naming the file and line, so a
// broken script never passes silently.
package script

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is one parsed script.
type File struct {
	Path          string
	Name          string
	Conversations []Conversation
}

// Conversation is one session: its turns run in order and share context.
type Conversation struct {
	Name string
	// Locale is the asker's language tag ("en", "zh", or "" for none).
	Locale string
	Line   int
	Turns  []Turn
}

// Turn is one question and what its answer must satisfy.
type Turn struct {
	Ask    string
	Line   int
	Expect Expect
}

// Expect holds a turn's checks; every check that is set must hold.
type Expect struct {
	Contains    []string // each must appear in the answer, ignoring case
	NotContains []string // none may appear, ignoring case
	Intent      string   // the engine's intent, when set
	Fallback    *bool    // whether the engine fell back, when set
	Regex       *regexp.Regexp
}

// Error is a problem in a script, located by file and line.
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Load parses the scripts at paths. A directory contributes every .yaml and
// .yml file beneath it, in lexical order; a directory without any is an error.
func Load(paths ...string) ([]*File, error) {
	var files []*File
	for _, p := range paths {
		names, err := scriptFiles(p)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("read script: %w", err)
			}
			f, err := Parse(name, data)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// scriptFiles lists the script files p names: p itself, or the scripts in the tree under it.
func scriptFiles(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open script: %w", err)
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var names []string
	err = filepath.WalkDir(p, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(name); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list scripts: %w", err)
	}
	if len(names) == 0 {
		return nil, &Error{Path: p, Msg: "no .yaml or .yml scripts in this directory"}
	}
	return names, nil
}

// Parse decodes one script. path only names the script in errors and reports.
func Parse(path string, data []byte) (*File, error) {
	p := parser{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, p.errorf(nil, "empty script: want a mapping with name and conversations")
		}
		return nil, p.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, p.yamlError(err)
		}
		at := &extra
		if len(extra.Content) > 0 {
			at = extra.Content[0]
		}
		return nil, p.errorf(at, "a script holds one YAML document; remove the second one")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, p.errorf(root, "empty script: want a mapping with name and conversations")
		}
		root = root.Content[0]
	}
	return p.file(root)
}

type parser struct{ path string }

func (p parser) errorf(n *yaml.Node, format string, args ...any) error {
	e := &Error{Path: p.path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line = n.Line
	}
	return e
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into an *Error carrying its line.
func (p parser) yamlError(err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1]) // the pattern admits digits only
		return &Error{Path: p.path, Line: line, Msg: m[2]}
	}
	return &Error{Path: p.path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
}

// mapping returns n's values by key. It rejects anything but a mapping,
// keys outside allowed, and repeated keys.
func (p parser) mapping(n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, error) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, "%s must be a mapping with keys %s", what, strings.Join(allowed, ", "))
	}
	fields := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			return nil, p.errorf(k, "unknown key %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
		}
		if _, dup := fields[k.Value]; dup {
			return nil, p.errorf(k, "key %q appears twice in %s", k.Value, what)
		}
		fields[k.Value] = deref(v)
	}
	return fields, nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// text returns a scalar's text; null and non-scalars are errors.
func (p parser) text(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return "", p.errorf(n, "%s must be text", what)
	}
	return n.Value, nil
}

// texts returns a list of non-empty texts; a single scalar counts as a list of one.
func (p parser) texts(n *yaml.Node, what string) ([]string, error) {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	if len(items) == 0 {
		return nil, p.errorf(n, "%s is empty: list at least one text or remove it", what)
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		s, err := p.text(deref(item), what+" item")
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			return nil, p.errorf(item, "%s has an empty item", what)
		}
		out = append(out, s)
	}
	return out, nil
}

// list returns a non-empty sequence's items.
func (p parser) list(n *yaml.Node, what string) ([]*yaml.Node, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, p.errorf(n, "%s must be a list", what)
	}
	if len(n.Content) == 0 {
		return nil, p.errorf(n, "%s is empty", what)
	}
	return n.Content, nil
}

func (p parser) file(n *yaml.Node) (*File, error) {
	fields, err := p.mapping(n, "the script", "name", "conversations")
	if err != nil {
		return nil, err
	}
	f := &File{Path: p.path, Name: strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path))}
	if v, ok := fields["name"]; ok {
		if f.Name, err = p.text(v, "name"); err != nil {
			return nil, err
		}
	}
	v, ok := fields["conversations"]
	if !ok {
		return nil, p.errorf(n, "the script has no conversations")
	}
	items, err := p.list(v, "conversations")
	if err != nil {
		return nil, err
	}
	for i, item := range items {
		c, err := p.conversation(deref(item), i+1)
		if err != nil {
			return nil, err
		}
		f.Conversations = append(f.Conversations, c)
	}
	return f, nil
}

func (p parser) conversation(n *yaml.Node, index int) (Conversation, error) {
	c := Conversation{Name: fmt.Sprintf("conversation %d", index), Line: n.Line}
	fields, err := p.mapping(n, "a conversation", "name", "locale", "turns")
	if err != nil {
		return c, err
	}
	if v, ok := fields["name"]; ok {
		if c.Name, err = p.text(v, "name"); err != nil {
			return c, err
		}
	}
	if v, ok := fields["locale"]; ok {
		if c.Locale, err = p.text(v, "locale"); err != nil {
			return c, err
		}
		if c.Locale != "en" && c.Locale != "zh" {
			return c, p.errorf(v, "locale %q: want en or zh", c.Locale)
		}
	}
	v, ok := fields["turns"]
	if !ok {
		return c, p.errorf(n, "conversation %q has no turns", c.Name)
	}
	items, err := p.list(v, "turns")
	if err != nil {
		return c, err
	}
	for _, item := range items {
		t, err := p.turn(deref(item))
		if err != nil {
			return c, err
		}
		c.Turns = append(c.Turns, t)
	}
	return c, nil
}

func (p parser) turn(n *yaml.Node) (Turn, error) {
	t := Turn{Line: n.Line}
	fields, err := p.mapping(n, "a turn", "ask", "expect")
	if err != nil {
		return t, err
	}
	v, ok := fields["ask"]
	if !ok {
		return t, p.errorf(n, "turn has no ask: every turn asks a question")
	}
	if t.Ask, err = p.text(v, "ask"); err != nil {
		return t, err
	}
	if strings.TrimSpace(t.Ask) == "" {
		return t, p.errorf(v, "ask is empty")
	}
	v, ok = fields["expect"]
	if !ok {
		return t, p.errorf(n, "turn %q has no expect: say what the answer must hold", t.Ask)
	}
	t.Expect, err = p.expect(v)
	return t, err
}

func (p parser) expect(n *yaml.Node) (Expect, error) {
	var e Expect
	fields, err := p.mapping(n, "expect", "contains", "not_contains", "intent", "fallback", "regex")
	if err != nil {
		return e, err
	}
	if len(fields) == 0 {
		return e, p.errorf(n, "expect has no checks")
	}
	if v, ok := fields["contains"]; ok {
		if e.Contains, err = p.texts(v, "contains"); err != nil {
			return e, err
		}
	}
	if v, ok := fields["not_contains"]; ok {
		if e.NotContains, err = p.texts(v, "not_contains"); err != nil {
			return e, err
		}
	}
	if v, ok := fields["intent"]; ok {
		if e.Intent, err = p.text(v, "intent"); err != nil {
			return e, err
		}
	}
	if v, ok := fields["fallback"]; ok {
		var b bool
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
			return e, p.errorf(v, "fallback must be true or false")
		}
		e.Fallback = &b
	}
	if v, ok := fields["regex"]; ok {
		s, err := p.text(v, "regex")
		if err != nil {
			return e, err
		}
		if e.Regex, err = regexp.Compile(s); err != nil {
			return e, p.errorf(v, "bad regex %q: %v", s, err)
		}
	}
	return e, nil
}
