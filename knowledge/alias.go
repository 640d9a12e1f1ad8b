package knowledge

import (
	"strings"
	"unicode"
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
// spaces, apostrophes, hyphens and other punctuation removed, so "Ji'an",
// "Ji An" and "jian" share one key.
func AliasKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
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
