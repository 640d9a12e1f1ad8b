package knowledge_test

import (
	"os"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/planbot/planbot/knowledge"
)

// named is a province or base area as written in data/plan.yaml. The tests
// read them straight from the file rather than from Provinces and BaseAreas,
// so that a slip in loading shows up as a difference.
type named struct {
	ID      string   `yaml:"id"`
	EN      string   `yaml:"en"`
	ZH      string   `yaml:"zh"`
	Aliases []string `yaml:"aliases"`
}

func readNamed(t *testing.T) (provinces, areas []named) {
	t.Helper()
	b, err := os.ReadFile("data/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Provinces []named `yaml:"provinces"`
		BaseAreas []named `yaml:"base_areas"`
	}
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatalf("read data/plan.yaml: %v", err)
	}
	if len(d.Provinces) == 0 || len(d.BaseAreas) == 0 {
		t.Fatalf("data/plan.yaml: %d provinces, %d base areas; want some of each", len(d.Provinces), len(d.BaseAreas))
	}
	return d.Provinces, d.BaseAreas
}

// lookupKind returns the ids Lookup gives for name among things of one kind.
func lookupKind(kb *knowledge.Base, name string, kind knowledge.Kind) []string {
	var ids []string
	for _, a := range kb.Lookup(name) {
		if a.Kind == kind {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

func TestEveryPlaceAliasFindsItsPlace(t *testing.T) {
	kb := loadBase(t)
	for _, p := range kb.Places() {
		// A place is found by each alias and by its own names, formal
		// names included.
		names := append([]string{p.Name.EN, p.Name.ZH}, p.Aliases...)
		if p.Formal != nil {
			names = append(names, p.Formal.EN, p.Formal.ZH)
		}
		for _, name := range names {
			t.Run(p.ID+"/"+name, func(t *testing.T) {
				if ids := lookupKind(kb, name, knowledge.KindPlace); len(ids) != 1 || ids[0] != p.ID {
					t.Errorf("Lookup(%q) places = %v; want exactly [%s]", name, ids, p.ID)
				}
				if got, ok := kb.LookupPlace(name); !ok || got.ID != p.ID {
					t.Errorf("LookupPlace(%q) = %q, %v; want %q", name, got.ID, ok, p.ID)
				}
				found := kb.Lookup(name)
				if len(found) == 0 || found[0].Kind != knowledge.KindPlace {
					t.Fatalf("Lookup(%q) = %v; want the place first", name, found)
				}
				// A name may also be a province only where the place is that
				// province's city (Shanghai, Beijing ...); never a base area.
				for _, a := range found[1:] {
					if a.Kind != knowledge.KindProvince || a.ID != p.Province {
						t.Errorf("Lookup(%q) also gives %s %q; a place name may only share with its own province",
							name, a.Kind, a.ID)
					}
				}
			})
		}
	}
}

func TestEveryProvinceAliasFindsItsProvince(t *testing.T) {
	kb := loadBase(t)
	provinces, _ := readNamed(t)
	for _, p := range provinces {
		pr, ok := kb.Province(p.ID)
		if !ok {
			t.Errorf("Province(%q) not found", p.ID)
			continue
		}
		if pr.Name.EN != p.EN || pr.Name.ZH != p.ZH {
			t.Errorf("Province(%q).Name = %v; want %s/%s", p.ID, pr.Name, p.EN, p.ZH)
		}
		for _, name := range append([]string{p.EN, p.ZH}, p.Aliases...) {
			t.Run(p.ID+"/"+name, func(t *testing.T) {
				if ids := lookupKind(kb, name, knowledge.KindProvince); len(ids) != 1 || ids[0] != p.ID {
					t.Errorf("Lookup(%q) provinces = %v; want exactly [%s]", name, ids, p.ID)
				}
				if ids := lookupKind(kb, name, knowledge.KindBaseArea); len(ids) != 0 {
					t.Errorf("Lookup(%q) base areas = %v; want none", name, ids)
				}
			})
		}
	}
}

func TestEveryBaseAreaAliasFindsItsArea(t *testing.T) {
	kb := loadBase(t)
	_, areas := readNamed(t)
	for _, a := range areas {
		ba, ok := kb.BaseArea(a.ID)
		if !ok {
			t.Errorf("BaseArea(%q) not found", a.ID)
			continue
		}
		if ba.Name.EN != a.EN || ba.Name.ZH != a.ZH {
			t.Errorf("BaseArea(%q).Name = %v; want %s/%s", a.ID, ba.Name, a.EN, a.ZH)
		}
		// The Chinese name is an alias; the long English one need not be.
		for _, name := range append([]string{a.ZH}, a.Aliases...) {
			t.Run(a.ID+"/"+name, func(t *testing.T) {
				if ids := lookupKind(kb, name, knowledge.KindBaseArea); len(ids) != 1 || ids[0] != a.ID {
					t.Errorf("Lookup(%q) base areas = %v; want exactly [%s]", name, ids, a.ID)
				}
				if ids := lookupKind(kb, name, knowledge.KindPlace); len(ids) != 0 {
					t.Errorf("Lookup(%q) places = %v; want none", name, ids)
				}
			})
		}
	}
}

// TestProvincesAndBaseAreas checks the lists against the file, in order.
func TestProvincesAndBaseAreas(t *testing.T) {
	kb := loadBase(t)
	provinces, areas := readNamed(t)
	var gotProvinces, gotAreas []named
	for _, p := range kb.Provinces() {
		gotProvinces = append(gotProvinces, named{ID: p.ID, EN: p.Name.EN, ZH: p.Name.ZH, Aliases: p.Aliases})
	}
	for _, a := range kb.BaseAreas() {
		gotAreas = append(gotAreas, named{ID: a.ID, EN: a.Name.EN, ZH: a.Name.ZH, Aliases: a.Aliases})
	}
	tests := []struct {
		name      string
		got, want []named
	}{
		{name: "Provinces", got: gotProvinces, want: provinces},
		{name: "BaseAreas", got: gotAreas, want: areas},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.EqualFunc(tc.got, tc.want, func(x, y named) bool {
				return x.ID == y.ID && x.EN == y.EN && x.ZH == y.ZH && slices.Equal(x.Aliases, y.Aliases)
			}) {
				t.Errorf("%s() = %v; want %v", tc.name, tc.got, tc.want)
			}
		})
	}
	// Each one listed is found by its id.
	for _, p := range kb.Provinces() {
		if got, ok := kb.Province(p.ID); !ok || got.ID != p.ID {
			t.Errorf("Province(%q) = %v, %v; want the listed province", p.ID, got, ok)
		}
	}
	for _, a := range kb.BaseAreas() {
		if got, ok := kb.BaseArea(a.ID); !ok || got.ID != a.ID {
			t.Errorf("BaseArea(%q) = %v, %v; want the listed base area", a.ID, got, ok)
		}
	}
	if n := len(kb.BaseAreas()); n != 11 {
		t.Errorf("len(BaseAreas()) = %d; want the 11 base areas of the key cities", n)
	}
}

func TestAliasesIndex(t *testing.T) {
	kb := loadBase(t)
	all := kb.Aliases()
	if len(all) == 0 {
		t.Fatal("Aliases() is empty")
	}
	seen := map[knowledge.Alias]bool{}
	for i, a := range all {
		if i > 0 && len(all[i-1].Key) < len(a.Key) {
			t.Errorf("Aliases()[%d] %q is longer than [%d] %q; want longest first", i, a.Key, i-1, all[i-1].Key)
		}
		if seen[a] {
			t.Errorf("Aliases() holds %v twice", a)
		}
		seen[a] = true
		if a.Key != knowledge.AliasKey(a.Key) {
			t.Errorf("Aliases()[%d].Key = %q; not folded (%q)", i, a.Key, knowledge.AliasKey(a.Key))
		}
		if ids := lookupKind(kb, a.Key, a.Kind); len(ids) != 1 || ids[0] != a.ID {
			t.Errorf("Lookup(%q) %s = %v; want [%s]", a.Key, a.Kind, ids, a.ID)
		}
	}
}

// TestLookupVariants is the list of spellings and name traps, plus
// near misses, written independently of the data.
func TestLookupVariants(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name string
		in   string
		id   string // place id; "" means no place
		role knowledge.Role
		en   string // the place's English name
	}{
		{name: "Ji'an with apostrophe", in: "Ji'an", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Jian without apostrophe", in: "Jian", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Ji An with space", in: "Ji An", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Ji'an lower case", in: "ji'an", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Ji’an with a typographic apostrophe", in: "Ji’an", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Ji'an in full-width letters", in: "Ｊｉ'ａｎ", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Shenzhen in full-width letters", in: "Ｓｈｅｎｚｈｅｎ", id: "shenzhen", role: knowledge.RolePartner, en: "Shenzhen"},
		{name: "吉安", in: "吉安", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "吉安市", in: "吉安市", id: "jian", role: knowledge.RoleKey, en: "Ji'an"},
		{name: "Lu'an", in: "Lu'an", id: "luan", role: knowledge.RoleKey, en: "Lu'an"},
		{name: "Luan", in: "Luan", id: "luan", role: knowledge.RoleKey, en: "Lu'an"},
		{name: "Lu’an typographic", in: "Lu’an", id: "luan", role: knowledge.RoleKey, en: "Lu'an"},
		{name: "六安", in: "六安", id: "luan", role: knowledge.RoleKey, en: "Lu'an"},
		{name: "Yan'an", in: "Yan'an", id: "yanan", role: knowledge.RoleKey, en: "Yan'an"},
		{name: "Yanan", in: "Yanan", id: "yanan", role: knowledge.RoleKey, en: "Yan'an"},
		{name: "延安市", in: "延安市", id: "yanan", role: knowledge.RoleKey, en: "Yan'an"},
		{name: "Zhang Jia Jie", in: "Zhang Jia Jie", id: "zhangjiajie", role: knowledge.RoleKey, en: "Zhangjiajie"},
		{name: "ZHANGJIAJIE", in: "ZHANGJIAJIE", id: "zhangjiajie", role: knowledge.RoleKey, en: "Zhangjiajie"},
		{name: "张家界", in: "张家界", id: "zhangjiajie", role: knowledge.RoleKey, en: "Zhangjiajie"},
		{name: "张家界市", in: "张家界市", id: "zhangjiajie", role: knowledge.RoleKey, en: "Zhangjiajie"},
		{name: "恩施 formal name", in: "恩施土家族苗族自治州", id: "enshi", role: knowledge.RoleKey, en: "Enshi"},
		{name: "恩施州", in: "恩施州", id: "enshi", role: knowledge.RoleKey, en: "Enshi"},
		{name: "恩施", in: "恩施", id: "enshi", role: knowledge.RoleKey, en: "Enshi"},
		{name: "Enshi", in: "Enshi", id: "enshi", role: knowledge.RoleKey, en: "Enshi"},
		{name: "Enshi English formal name", in: "Enshi Tujia and Miao Autonomous Prefecture", id: "enshi", role: knowledge.RoleKey, en: "Enshi"},
		{name: "Suzhou is Jiangsu's", in: "Suzhou", id: "suzhou", role: knowledge.RolePartner, en: "Suzhou (Jiangsu)"},
		{name: "苏州", in: "苏州", id: "suzhou", role: knowledge.RolePartner, en: "Suzhou (Jiangsu)"},
		{name: "宿州 is Anhui's, not in the plan", in: "宿州", id: "suzhou_anhui", role: knowledge.RoleOther, en: "Suzhou (Anhui)"},
		{name: "Suzhou Anhui", in: "Suzhou, Anhui", id: "suzhou_anhui", role: knowledge.RoleOther, en: "Suzhou (Anhui)"},
		{name: "Jinan is not Ji'an", in: "Jinan", id: "jinan", role: knowledge.RolePartner, en: "Jinan"},
		{name: "济南", in: "济南", id: "jinan", role: knowledge.RolePartner, en: "Jinan"},
		{name: "Shanghai the city first", in: "Shanghai", id: "shanghai", role: knowledge.RolePartner, en: "Shanghai"},
		{name: "Changsha", in: "Changsha", id: "changsha", role: knowledge.RoleOther, en: "Changsha"},
		{name: "Wuhan", in: "Wuhan", id: "wuhan", role: knowledge.RoleOther, en: "Wuhan"},
		{name: "Chengdu", in: "Chengdu", id: "chengdu", role: knowledge.RoleOther, en: "Chengdu"},
		{name: "Xi'an", in: "Xi'an", id: "xian", role: knowledge.RoleOther, en: "Xi'an"},
		{name: "Xian", in: "Xian", id: "xian", role: knowledge.RoleOther, en: "Xi'an"},
		{name: "Hefei", in: "Hefei", id: "hefei", role: knowledge.RoleOther, en: "Hefei"},
		{name: "Kunming", in: "Kunming", id: "kunming", role: knowledge.RoleOther, en: "Kunming"},
		{name: "Nanchang", in: "Nanchang", id: "nanchang", role: knowledge.RoleOther, en: "Nanchang"},
		{name: "Fuzhou is Fujian's", in: "Fuzhou", id: "fuzhou", role: knowledge.RoleOther, en: "Fuzhou"},
		{name: "长沙", in: "长沙", id: "changsha", role: knowledge.RoleOther, en: "Changsha"},
		{name: "武汉市", in: "武汉市", id: "wuhan", role: knowledge.RoleOther, en: "Wuhan"},
		{name: "unknown city", in: "Atlantis", id: ""},
		{name: "empty", in: "", id: ""},
		{name: "punctuation only", in: "'?!", id: ""},
		{name: "a province is not a place", in: "Hubei", id: ""},
		{name: "a base area is not a place", in: "大别山", id: ""},
		{name: "partial name", in: "Ganzho", id: ""},
		{name: "a sentence is not an alias", in: "Who is Ganzhou paired with?", id: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := kb.LookupPlace(tc.in)
			if tc.id == "" {
				if ok {
					t.Fatalf("LookupPlace(%q) = %q; want no place", tc.in, p.ID)
				}
				return
			}
			if !ok || p.ID != tc.id {
				t.Fatalf("LookupPlace(%q) = %q, %v; want %q", tc.in, p.ID, ok, tc.id)
			}
			if p.Role != tc.role {
				t.Errorf("LookupPlace(%q).Role = %q; want %q", tc.in, p.Role, tc.role)
			}
			if p.Name.EN != tc.en {
				t.Errorf("LookupPlace(%q).Name.EN = %q; want %q", tc.in, p.Name.EN, tc.en)
			}
			found := kb.Lookup(tc.in)
			if len(found) == 0 || found[0].Kind != knowledge.KindPlace || found[0].ID != tc.id {
				t.Errorf("Lookup(%q) = %v; want place %q first", tc.in, found, tc.id)
			}
		})
	}
}

// TestNameTraps checks what the bot needs to warn about a trap.
func TestNameTraps(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name     string
		place    string
		kind     string
		formalZH string
		province string
	}{
		{name: "Suzhou here is Jiangsu's", place: "Suzhou", province: "jiangsu"},
		{name: "宿州 is Anhui's", place: "宿州", province: "anhui"},
		{name: "Ji'an is often typed Jian", place: "Ji'an", province: "jiangxi"},
		{name: "Lu'an is often typed Luan", place: "Lu'an", province: "anhui"},
		{name: "Enshi is a prefecture", place: "Enshi", kind: "prefecture", formalZH: "恩施土家族苗族自治州", province: "hubei"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := placeNamed(t, kb, tc.place)
			if p.Note == nil || p.Note.EN == "" || p.Note.ZH == "" {
				t.Errorf("%s.Note = %v; want a note in both languages", p.ID, p.Note)
			}
			if p.Kind != tc.kind {
				t.Errorf("%s.Kind = %q; want %q", p.ID, p.Kind, tc.kind)
			}
			if tc.formalZH != "" && (p.Formal == nil || p.Formal.ZH != tc.formalZH || p.Formal.EN == "") {
				t.Errorf("%s.Formal = %v; want %s with an English name", p.ID, p.Formal, tc.formalZH)
			}
			if p.Province != tc.province {
				t.Errorf("%s.Province = %q; want %q", p.ID, p.Province, tc.province)
			}
		})
	}
}

func TestNotInPlanPlacesAreNeverPaired(t *testing.T) {
	kb := loadBase(t)
	var others int
	for _, p := range kb.Places() {
		if p.Role != knowledge.RoleOther {
			continue
		}
		others++
		if _, ok := kb.PartnerOf(p.ID); ok {
			t.Errorf("PartnerOf(%q) found a pair for a place not in the plan", p.ID)
		}
		if got := kb.KeyCitiesOf(p.ID); len(got) != 0 {
			t.Errorf("KeyCitiesOf(%q) = %v for a place not in the plan", p.ID, keysOf(got))
		}
		if p.BaseArea != "" {
			t.Errorf("%s.BaseArea = %q; a place not in the plan has none", p.ID, p.BaseArea)
		}
	}
	if others < 8 {
		t.Errorf("%d places not in the plan; want at least the issue's eight", others)
	}
}

// TestAliasKeyAllocations guards the engine's allocation budget: AliasKey
// runs for every name in every question, full-width or not.
func TestAliasKeyAllocations(t *testing.T) {
	for _, in := range []string{"Ji'an", "Ｊｉ'ａｎ", "恩施土家族苗族自治州"} {
		if n := testing.AllocsPerRun(100, func() { knowledge.AliasKey(in) }); n > 1 {
			t.Errorf("AliasKey(%q) allocates %v times; want at most 1", in, n)
		}
	}
}

func TestAliasKey(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "apostrophe", in: "Ji'an", want: "jian"},
		{name: "space", in: "Ji An", want: "jian"},
		{name: "hyphen and upper case", in: "JI-AN", want: "jian"},
		{name: "typographic apostrophe", in: "Lu’an", want: "luan"},
		{name: "spaces between syllables", in: "Zhang Jia Jie", want: "zhangjiajie"},
		{name: "surrounding space", in: "  Yan'an \t", want: "yanan"},
		{name: "Chinese kept", in: "张家界市", want: "张家界市"},
		{name: "Chinese punctuation dropped", in: "恩施（州）", want: "恩施州"},
		{name: "digits kept", in: "5G", want: "5g"},
		{name: "empty", in: "", want: ""},
		{name: "only punctuation", in: "' - '", want: ""},
		{name: "full-width letters", in: "Ｊｉ'ａｎ", want: "jian"},
		{name: "full-width upper case and space", in: "ＺＨＡＮＧ　ＪＩＡ　ＪＩＥ", want: "zhangjiajie"},
		{name: "full-width apostrophe dropped", in: "Ｌｕ＇ａｎ", want: "luan"},
		{name: "full-width digits", in: "５Ｇ", want: "5g"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := knowledge.AliasKey(tc.in); got != tc.want {
				t.Errorf("AliasKey(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
