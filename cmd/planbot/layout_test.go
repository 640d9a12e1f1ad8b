package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// These tests hold the module to its layout (see the README): imports point
// one way, and only main touches the process. make test runs them first, by
// name, so a broken rule is the first thing reported.

const module = "github.com/planbot/planbot"

// moduleRoot is the module's directory, seen from this package's.
const moduleRoot = "../.."

// importRule says which planbot packages a package may import, by the
// package's path under the module.
func importRule(pkg string) (allowed func(imp string) bool, ok bool) {
	under := func(dir string) func(string) bool {
		return func(imp string) bool { return imp == dir || strings.HasPrefix(imp, dir+"/") }
	}
	none := func(string) bool { return false }
	top, _, _ := strings.Cut(pkg, "/")
	switch {
	case top == "knowledge":
		return under("knowledge"), true // its own subpackages only
	case top == "bot":
		return func(imp string) bool { return under("bot")(imp) || under("knowledge")(imp) }, true
	case top == "config":
		return under("config"), true
	case top == "adapters":
		// An adapter imports bot, and its own subpackages, never another adapter.
		parts := strings.SplitN(pkg, "/", 3)
		if len(parts) < 2 {
			return none, true
		}
		own := under("adapters/" + parts[1])
		return func(imp string) bool { return imp == "bot" || own(imp) }, true
	case pkg == "cmd/planbot":
		return func(string) bool { return true }, true
	}
	return nil, false
}

// platformLibraries may only be imported by adapters and cmd.
var platformLibraries = []string{"github.com/bwmarrin/discordgo", "github.com/mymmrac/telego"}

func TestImportRules(t *testing.T) {
	// -e: a package that does not build is still listed with its imports;
	// building is the other tests' business.
	cmd := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = moduleRoot
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, ok := strings.CutPrefix(fields[0], module+"/")
		if !ok {
			continue // the module root has no package
		}
		seen++
		allowed, ok := importRule(pkg)
		if !ok {
			t.Errorf("%s: no import rule for this package; the layout is knowledge, bot, config, adapters/<name>, cmd/planbot", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			if rel, ours := strings.CutPrefix(imp, module+"/"); ours {
				if !allowed(rel) {
					t.Errorf("%s imports %s: forbidden (knowledge imports no planbot package; bot only knowledge; adapters only bot; only cmd/planbot imports config)", pkg, rel)
				}
				continue
			}
			top, _, _ := strings.Cut(pkg, "/")
			for _, lib := range platformLibraries {
				if (top == "bot" || top == "knowledge" || top == "config") && (imp == lib || strings.HasPrefix(imp, lib+"/")) {
					t.Errorf("%s imports %s: platform libraries belong in adapters", pkg, imp)
				}
			}
		}
	}
	if seen < 5 {
		t.Fatalf("go list found %d planbot packages; want the whole module:\n%s", seen, out)
	}
}

// processCall is a call only main may make.
type processCall struct {
	pkg, name string
	inTests   bool // also forbidden in _test.go files
}

var mainOnly = []processCall{
	{"os", "Exit", false},
	{"os", "Getenv", false},
	{"os", "LookupEnv", false},
	{"os", "Environ", false},
	{"os", "Args", false},
	{"os/signal", "Notify", true},
	{"os/signal", "NotifyContext", true},
	{"log", "Fatal", true},
	{"log", "Fatalf", true},
	{"log", "Fatalln", true},
}

// libraryBanned are calls library code (outside cmd, outside tests) must not
// make: loggers are passed in.
var libraryBanned = []processCall{
	{"log/slog", "Default", false},
	{"log", "Print", false},
	{"log", "Printf", false},
	{"log", "Println", false},
}

func TestProcessRules(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != moduleRoot && (name == "testdata" || name == "node_modules" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		files++
		rel, err := filepath.Rel(moduleRoot, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, problem := range processProblems(fset, rel, f) {
			t.Error(problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("checked %d Go files; want the whole module", files)
	}
}

// processProblems lists file f's breaches: init functions, package-level
// flags, and calls reserved to main or banned in library code.
func processProblems(fset *token.FileSet, rel string, f *ast.File) []string {
	var problems []string
	report := func(n ast.Node, format string, args ...any) {
		pos := fset.Position(n.Pos())
		problems = append(problems, fmt.Sprintf("%s:%d: %s", rel, pos.Line, fmt.Sprintf(format, args...)))
	}
	isTest := strings.HasSuffix(rel, "_test.go")
	isMain := rel == "cmd/planbot/main.go"
	inCmd := strings.HasPrefix(rel, "cmd/")

	imports := map[string]string{} // local name -> path
	for _, spec := range f.Imports {
		path, _ := strconv.Unquote(spec.Path.Value) // the parser accepted it
		local := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			local = spec.Name.Name
		}
		imports[local] = path
	}

	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == "init" && d.Recv == nil {
				report(d, "func init: set up state explicitly where it is used")
			}
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			ast.Inspect(d, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok && imports[id.Name] == "flag" {
						report(sel, "package-level flag.%s: define flags on a FlagSet inside the command", sel.Sel.Name)
					}
				}
				return true
			})
		}
	}

	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		path, ok := imports[id.Name]
		if !ok {
			return true
		}
		for _, c := range mainOnly {
			if c.pkg == path && c.name == sel.Sel.Name && !isMain && (c.inTests || !isTest) {
				report(sel, "%s.%s outside cmd/planbot/main.go: pass it in from main", id.Name, c.name)
			}
		}
		for _, c := range libraryBanned {
			if c.pkg == path && c.name == sel.Sel.Name && !inCmd && !isTest {
				report(sel, "%s.%s in library code: take a *slog.Logger", id.Name, c.name)
			}
		}
		return true
	})
	return problems
}

func TestProcessRulesCatchBreaches(t *testing.T) {
	tests := []struct {
		name string
		rel  string
		src  string
		want []string
	}{
		{"init", "bot/x.go", "package bot\nfunc init() {}\n", []string{"bot/x.go:2: func init"}},
		{"method named init is fine", "bot/x.go", "package bot\ntype T struct{}\nfunc (T) init() {}\n", nil},
		{"os.Exit in a library", "bot/x.go", "package bot\nimport \"os\"\nfunc f() { os.Exit(1) }\n", []string{"bot/x.go:3: os.Exit outside"}},
		{"renamed os import", "config/x.go", "package config\nimport sys \"os\"\nvar v = sys.Getenv(\"X\")\n", []string{"config/x.go:3: sys.Getenv outside"}},
		{"os.Args in cmd outside main", "cmd/planbot/run.go", "package main\nimport \"os\"\nvar a = os.Args\n", []string{"cmd/planbot/run.go:3: os.Args outside"}},
		{"os.Getenv in a test reads CI", "adapters/x/x_test.go", "package x\nimport \"os\"\nvar ci = os.Getenv(\"CI\")\n", nil},
		{"signal.Notify in a test", "adapters/x/x_test.go", "package x\nimport \"os/signal\"\nfunc f() { signal.Notify(nil) }\n", []string{"signal.Notify outside"}},
		{"log.Fatal", "knowledge/x.go", "package knowledge\nimport \"log\"\nfunc f() { log.Fatal(1) }\n", []string{"knowledge/x.go:3: log.Fatal outside"}},
		{"slog.Default in a library", "adapters/x/x.go", "package x\nimport \"log/slog\"\nvar l = slog.Default()\n", []string{"adapters/x/x.go:3: slog.Default in library code"}},
		{"slog.Default in cmd", "cmd/planbot/x.go", "package main\nimport \"log/slog\"\nvar l = slog.Default()\n", nil},
		{"package-level flag", "cmd/planbot/x.go", "package main\nimport \"flag\"\nvar v = flag.Bool(\"v\", false, \"\")\n", []string{"cmd/planbot/x.go:3: package-level flag.Bool"}},
		{"main may do it all", "cmd/planbot/main.go", "package main\nimport (\"os\"; \"os/signal\")\nfunc main() { signal.NotifyContext(nil); os.Exit(os.Getenv(\"X\")) }\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, tc.rel, tc.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			got := processProblems(fset, tc.rel, f)
			if len(got) != len(tc.want) {
				t.Fatalf("processProblems(%q) = %q; want %d problems like %q", tc.src, got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q; want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestImportRuleTable(t *testing.T) {
	tests := []struct {
		name, pkg, imp string
		want           bool
	}{
		{"bot uses knowledge", "bot", "knowledge", true},
		{"bot never config", "bot", "config", false},
		{"knowledge imports nothing of ours", "knowledge", "bot", false},
		{"adapter uses bot", "adapters/telegram", "bot", true},
		{"adapter never knowledge", "adapters/telegram", "knowledge", false},
		{"adapter never config", "adapters/discord", "config", false},
		{"adapters never each other", "adapters/discord", "adapters/admin", false},
		{"adapter's own subpackage", "adapters/discord/gateway", "adapters/discord", true},
		{"config imports nothing of ours", "config", "bot", false},
		{"cmd wires everything", "cmd/planbot", "config", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			allowed, ok := importRule(tc.pkg)
			if !ok {
				t.Fatalf("importRule(%q) has no rule", tc.pkg)
			}
			if got := allowed(tc.imp); got != tc.want {
				t.Errorf("importRule(%q)(%q) = %t; want %t", tc.pkg, tc.imp, got, tc.want)
			}
		})
	}
	if _, ok := importRule("util"); ok {
		t.Errorf("importRule(\"util\") has a rule; want none, so new top-level packages are noticed")
	}
}
