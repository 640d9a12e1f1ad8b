package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Kind is the kind of thing an alias names.
type Kind string

// The kinds of named thing.
const (
	KindPlace    Kind = "place"
	KindProvince Kind = "province"
	KindBaseArea Kind = "base area"
)

// Alias is one name of a place, province or base area.
type Alias struct {
	Key  string // AliasKey of the name
	Kind Kind
	ID   string
}

// AliasKey folds a name to the key aliases are indexed by: lower case, with
// full-width letters and digits made ordinary (as Chinese input methods type
// them) and spaces, apostrophes, hyphens and other punctuation removed, so
// "Ji'an", "Ji An", "Ｊｉ'ａｎ" and "jian" share one key.
func AliasKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= utf8.RuneSelf {
			// Rune by rune rather than width.Fold.String, which would
			// allocate a second string for every name.
			if f := width.LookupRune(r).Folded(); f != 0 {
				r = f
			}
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// aliasIndex maps kind -> alias key -> id.
type aliasIndex map[Kind]map[string]string

func newAliasIndex() aliasIndex {
	return aliasIndex{KindPlace: {}, KindProvince: {}, KindBaseArea: {}}
}
