package knowledge_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestAccessorsSaySharedData reads the package source and checks that every
// exported method of Base whose result holds a slice or pointer says in its
// doc comment whether that data is shared or new. The accessors do not copy
// (the engine calls them per question), so a caller must be told not to
// modify what it gets.
func TestAccessorsSaySharedData(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	// The struct types of the package, by name.
	structs := map[string]*ast.StructType{}
	var methods []*ast.FuncDecl
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if ts, ok := spec.(*ast.TypeSpec); ok {
						if st, ok := ts.Type.(*ast.StructType); ok {
							structs[ts.Name.Name] = st
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.IsExported() && receiverIs(d, "Base") {
					methods = append(methods, d)
				}
			}
		}
	}
	if len(methods) < 10 {
		t.Fatalf("found %d exported methods of Base; want the accessors", len(methods))
	}

	var holds func(e ast.Expr, seen map[string]bool) bool
	holds = func(e ast.Expr, seen map[string]bool) bool {
		switch x := e.(type) {
		case *ast.ArrayType:
			return x.Len == nil || holds(x.Elt, seen)
		case *ast.StarExpr, *ast.MapType:
			return true
		case *ast.StructType:
			for _, f := range x.Fields.List {
				if holds(f.Type, seen) {
					return true
				}
			}
		case *ast.Ident:
			st, ok := structs[x.Name]
			if !ok || seen[x.Name] {
				return false
			}
			seen[x.Name] = true
			return holds(st, seen)
		}
		return false
	}

	for _, m := range methods {
		if m.Type.Results == nil {
			continue
		}
		shares := false
		for _, r := range m.Type.Results.List {
			if holds(r.Type, map[string]bool{}) {
				shares = true
			}
		}
		if !shares {
			continue
		}
		doc := m.Doc.Text()
		if !strings.Contains(doc, "shared") && !strings.Contains(doc, "is new") {
			t.Errorf("Base.%s returns a slice or pointer, but its doc comment does not say whether it is shared:\n%s",
				m.Name.Name, doc)
		}
	}
}

func receiverIs(f *ast.FuncDecl, name string) bool {
	if len(f.Recv.List) != 1 {
		return false
	}
	t := f.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.Name == name
}
