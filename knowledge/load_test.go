package knowledge_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/planbot/planbot/knowledge"
)

func TestLoadMinimalFixture(t *testing.T) {
	kb, err := knowledge.LoadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatalf("LoadFile(minimal) = %v; want the fixture all invalid ones start from to be valid", err)
	}
	if p, ok := kb.PartnerOf("ganzhou"); !ok || p.Partner != "shenzhen" {
		t.Errorf("PartnerOf(ganzhou) = %+v, %v; want shenzhen", p, ok)
	}
}

// TestInvalidFixtures loads each file in testdata/invalid, which is
// testdata/valid/minimal.yaml with one rule broken. Each wanted string is
// one line of the error, in order, and names the entry and the field, so a
// maintainer can find the mistake.
func TestInvalidFixtures(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string
	}{
		{name: "unknown source id cited", file: "unknown_source.yaml",
			want: []string{`pairs[0] (ganzhou-shenzhen): sources: cites unknown source "S9"`}},
		{name: "fact citing no source", file: "fact_without_source.yaml",
			want: []string{`tasks[0]: sources: cites no source`}},
		{name: "pair with unknown key place", file: "pair_unknown_key.yaml",
			want: []string{`pairs[0] (ganzou-shenzhen): key: "ganzou" is not a place with role key`,
				`places[0] (ganzhou): role: key city "ganzhou" is in no pair`}},
		{name: "pair with unknown partner place", file: "pair_unknown_partner.yaml",
			want: []string{`pairs[0] (ganzhou-shenzen): partner: "shenzen" is not a place with role partner`,
				`places[1] (shenzhen): role: partner "shenzhen" is in no pair`}},
		{name: "pair partner whose role is not partner", file: "pair_partner_not_partner.yaml",
			want: []string{`pairs[0] (ganzhou-nanchang): partner: "nanchang" is not a place with role partner`,
				`places[1] (shenzhen): role: partner "shenzhen" is in no pair`}},
		{name: "pair key city whose role is not key", file: "pair_key_not_key.yaml",
			want: []string{`pairs[0] (nanchang-shenzhen): key: "nanchang" is not a place with role key`,
				`places[0] (ganzhou): role: key city "ganzhou" is in no pair`}},
		{name: "key city paired twice", file: "key_paired_twice.yaml",
			want: []string{`pairs[1] (ganzhou-guangzhou): key: "ganzhou" is paired twice`}},
		{name: "alias naming two places", file: "duplicate_alias.yaml",
			want: []string{`places[2] (nanchang): aliases: alias "赣州" also names place "ganzhou"`}},
		{name: "alias naming two places once folded", file: "duplicate_alias_folded.yaml",
			want: []string{`places[2] (nanchang): aliases: alias "Gan Zhou" also names place "ganzhou"`}},
		{name: "missing Chinese text", file: "missing_chinese.yaml",
			want: []string{`places[1] (shenzhen): name.zh: is empty`}},
		{name: "missing English text", file: "missing_english.yaml",
			want: []string{`tasks[0]: summary.en: is empty`}},
		{name: "unknown province", file: "unknown_province.yaml",
			want: []string{`places[1] (shenzhen): province: unknown province "guangdon"`}},
		{name: "unknown base area", file: "unknown_base_area.yaml",
			want: []string{`places[0] (ganzhou): base_area: unknown base area "central_soviet_area"`}},
		{name: "bad role", file: "bad_role.yaml",
			want: []string{`places[2] (nanchang): role: is "capital"`}},
		{name: "bad status", file: "bad_status.yaml",
			want: []string{`pairs[0] (ganzhou-shenzhen): status: is "C3"`}},
		{name: "tasks out of order", file: "tasks_out_of_order.yaml",
			want: []string{`tasks[0]: number: is 2; want 1`, `tasks[1]: number: is 1; want 2`}},
		{name: "unknown measure kind", file: "unknown_measure_kind.yaml",
			want: []string{`measures[0] (visits): kind: unknown measure kind "visits"`}},
		{name: "unknown YAML key", file: "unknown_yaml_key.yaml",
			want: []string{`yaml: unmarshal errors:`, `line 27: field colour not found in type knowledge.Place`}},
		{name: "pair count not matching the scale", file: "pair_count.yaml",
			want: []string{`pairs: unknown_pairs: 1 known + 1 unknown pairs != document scale.pairs 1`}},
		{name: "duplicate source id", file: "duplicate_source.yaml",
			want: []string{`sources[1]: id: duplicate source id "S1"`}},
		{name: "duplicate place id", file: "duplicate_place.yaml",
			want: []string{`places[3] (nanchang): id: duplicate place id "nanchang"`}},
		{name: "place without aliases", file: "missing_aliases.yaml",
			want: []string{`places[2] (nanchang): aliases: is empty`}},
		{name: "alias that folds to nothing", file: "alias_empty_once_folded.yaml",
			want: []string{`places[2] (nanchang): aliases: alias "--" is empty once normalised`}},
		{name: "period ending before it starts", file: "bad_period.yaml",
			want: []string{`document: period:`}},
		{name: "scale without pairs", file: "bad_scale.yaml",
			want: []string{`document: scale:`, `pairs: unknown_pairs: 1 known + 0 unknown pairs != document scale.pairs 0`}},
		{name: "missing document number", file: "missing_number.yaml",
			want: []string{`document: number.value: is empty`}},
		{name: "source without text", file: "source_without_text.yaml",
			want: []string{`sources[1]: text: is empty`}},
		{name: "no tasks", file: "no_tasks.yaml",
			want: []string{`tasks: tasks: no tasks`}},
		{name: "negative unknown pairs", file: "unknown_pairs_negative.yaml",
			want: []string{
				`pairs: unknown_pairs: is -1; want 0 or more`,
				`pairs: unknown_pairs: 1 known + -1 unknown pairs != document scale.pairs 1`,
				`places: role: 1 key cities + -1 unknown pairs != document scale.key_cities 1`,
			}},
		{name: "duplicate province id", file: "duplicate_province.yaml",
			want: []string{`provinces[2] (jiangxi): id: duplicate province id "jiangxi"`}},
		{name: "duplicate base area id", file: "duplicate_base_area.yaml",
			want: []string{`base_areas[1] (central_soviet): id: duplicate base area id "central_soviet"`}},
		{name: "key city in no pair", file: "key_not_paired.yaml",
			want: []string{`places[1] (jian): role: key city "jian" is in no pair`}},
		{name: "partner in no pair", file: "partner_not_paired.yaml",
			want: []string{`places[2] (dongguan): role: partner "dongguan" is in no pair`}},
		{name: "key city count not matching the scale", file: "key_city_count.yaml",
			want: []string{`places: role: 1 key cities + 0 unknown pairs != document scale.key_cities 2`}},
		{name: "note sources checked without a note", file: "note_sources_without_note.yaml",
			want: []string{`document: issued.note_sources: cites unknown source "S9"`}},
		{name: "period years not end minus start", file: "period_years.yaml",
			want: []string{`document: period.years: is 7; want end - start = 8`}},
		{name: "place not in the plan with a base area", file: "other_with_base_area.yaml",
			want: []string{`places[2] (nanchang): base_area: is "central_soviet"; a place with role other`}},
		{name: "a second YAML document", file: "extra_document.yaml",
			want: []string{`line 46: a second YAML document; a fact file holds one`}},
		{name: "several rules broken, all reported", file: "several_rules.yaml",
			want: []string{
				`places[1] (shenzhen): province: unknown province "guangdon"`,
				`pairs[0] (ganzhou-shenzhen): status: is "C3"`,
				`measures[0] (visits): kind: unknown measure kind "visits"`,
			}},
	}

	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/invalid: %v", err)
	}
	var covered []string
	for _, tc := range tests {
		covered = append(covered, filepath.Join("testdata/invalid", tc.file))
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata/invalid", tc.file)
			kb, err := knowledge.LoadFile(path)
			if err == nil {
				t.Fatalf("LoadFile(%q) = %v, nil; want an error", path, kb)
			}
			msg := err.Error()
			prefix := "load facts " + path + ": "
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("LoadFile(%q) error = %q; want it to start %q (naming the file)", path, msg, prefix)
			}
			lines := strings.Split(strings.TrimPrefix(msg, prefix), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("LoadFile(%q) error has %d lines; want %d:\n%s", path, len(lines), len(tc.want), msg)
			}
			for i, want := range tc.want {
				if !strings.Contains(lines[i], want) {
					t.Errorf("LoadFile(%q) error line %d = %q; want it to contain %q", path, i+1, lines[i], want)
				}
			}

			// Parse reports the same, under the name it is given.
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := knowledge.Parse("override.yaml", b); err == nil ||
				!strings.HasPrefix(err.Error(), "load facts override.yaml: ") ||
				!strings.Contains(err.Error(), tc.want[0]) {
				t.Errorf("Parse(override.yaml) error = %v; want it to name override.yaml and say %q", err, tc.want[0])
			}
		})
	}
	for _, f := range files {
		if !slices.Contains(covered, f) {
			t.Errorf("fixture %s is not in the table", f)
		}
	}
}

// TestParseBrokenPlanData breaks the real data the way a maintainer editing
// it might, and checks the error points at the real entry.
func TestParseBrokenPlanData(t *testing.T) {
	plan, err := os.ReadFile("data/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{name: "source id typo in the last pair",
			old:  "{key: lishui, partner: ningbo, status: C1, sources: [S4]}",
			new:  "{key: lishui, partner: ningbo, status: C1, sources: [S40]}",
			want: []string{`pairs[18] (lishui-ningbo): sources: cites unknown source "S40"`}},
		{name: "unknown_pairs raised without a scale to match",
			old: "unknown_pairs: 1",
			new: "unknown_pairs: 2",
			want: []string{`19 known + 2 unknown pairs != document scale.pairs 20`,
				`places: role: 19 key cities + 2 unknown pairs != document scale.key_cities 20`}},
		{name: "宿州 given to Suzhou (Jiangsu) as well",
			old:  "aliases: [suzhou, su zhou, suzhou jiangsu, jiangsu suzhou, 苏州, 苏州市]",
			new:  "aliases: [suzhou, su zhou, suzhou jiangsu, jiangsu suzhou, 苏州, 苏州市, 宿州]",
			want: []string{`(suzhou_anhui): aliases: alias "宿州" also names place "suzhou"`}},
		{name: "Ganzhou paired with a place not in the plan",
			old:  "{key: ganzhou, partner: shenzhen,",
			new:  "{key: ganzhou, partner: changsha,",
			want: []string{`pairs[0] (ganzhou-changsha): partner: "changsha" is not a place with role partner`}},
		{name: "Changsha, not in the plan, given a base area",
			old:  "province: hunan, aliases: [changsha,",
			new:  "province: hunan, base_area: xianggan, aliases: [changsha,",
			want: []string{`(changsha): base_area: is "xianggan"; a place with role other is not in the plan and has none`}},
		{name: "misspelt field in a task",
			old:  "  - number: 3\n",
			new:  "  - numbr: 3\n",
			want: []string{"yaml: unmarshal errors:", "field numbr not found in type knowledge.Task"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := strings.Count(string(plan), tc.old); n != 1 {
				t.Fatalf("data/plan.yaml holds %q %d times; want once (update the test)", tc.old, n)
			}
			b := []byte(strings.Replace(string(plan), tc.old, tc.new, 1))
			_, err := knowledge.Parse("plan.yaml", b)
			if err == nil {
				t.Fatal("Parse(broken plan) = nil error; want one")
			}
			lines := strings.Split(strings.TrimPrefix(err.Error(), "load facts plan.yaml: "), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("Parse error has %d lines; want %d:\n%v", len(lines), len(tc.want), err)
			}
			for i, want := range tc.want {
				if !strings.Contains(lines[i], want) {
					t.Errorf("Parse error line %d = %q; want it to contain %q", i+1, lines[i], want)
				}
			}
		})
	}
}

func TestParseNotYAML(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{name: "empty", data: ""},
		{name: "a list, not a mapping", data: "- a\n- b\n"},
		{name: "broken syntax", data: "document: {title: [\n"},
		{name: "a mapping without the facts", data: "document: {}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kb, err := knowledge.Parse("bad.yaml", []byte(tc.data))
			if err == nil {
				t.Fatalf("Parse(%q) = %v, nil; want an error", tc.data, kb)
			}
			if !strings.Contains(err.Error(), "bad.yaml") {
				t.Errorf("Parse(%q) error = %q; want it to name bad.yaml", tc.data, err)
			}
		})
	}
}

// TestParseDocumentMarkers checks that the markers of a single YAML
// document are allowed, so only a real second document is refused.
func TestParseDocumentMarkers(t *testing.T) {
	minimal, err := os.ReadFile("testdata/valid/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		before, after string
	}{
		{name: "start marker", before: "---\n"},
		{name: "end marker", after: "...\n"},
		{name: "both markers", before: "---\n", after: "...\n"},
		{name: "trailing comment", after: "# end of facts\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.before + string(minimal) + tc.after
			if _, err := knowledge.Parse("one.yaml", []byte(b)); err != nil {
				t.Errorf("Parse(%q + minimal + %q) = %v; want no error", tc.before, tc.after, err)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-facts.yaml")
	kb, err := knowledge.LoadFile(path)
	if err == nil {
		t.Fatalf("LoadFile(%q) = %v, nil; want an error", path, kb)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile(%q) error = %v; want it to wrap fs.ErrNotExist", path, err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("LoadFile(%q) error = %q; want it to name the file", path, err)
	}
}

// TestLoadFileOverride is what a maintainer does in production: copy the
// data, fix a fact, point knowledge_file at the copy.
func TestLoadFileOverride(t *testing.T) {
	plan, err := os.ReadFile("data/plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ old, new string }{
		{"{key: lishui, partner: ningbo, status: C1, sources: [S4]}", "{key: lishui, partner: ningbo, status: C2, sources: [S4, S19]}"},
		{"    value: 发改振兴〔2022〕766号\n", "    value: 发改振兴〔2022〕767号\n"},
	}
	text := string(plan)
	for _, e := range edits {
		if n := strings.Count(text, e.old); n != 1 {
			t.Fatalf("data/plan.yaml holds %q %d times; want once (update the test)", e.old, n)
		}
		text = strings.Replace(text, e.old, e.new, 1)
	}
	path := filepath.Join(t.TempDir(), "facts.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}

	kb, err := knowledge.LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile(%q) = %v", path, err)
	}
	p, ok := kb.PartnerOf("lishui")
	if !ok || p.Status != knowledge.StatusC2 || !slices.Equal(p.Sources, []string{"S4", "S19"}) {
		t.Errorf("override PartnerOf(lishui) = %+v, %v; want status C2 from S4, S19", p, ok)
	}
	if got := kb.Document().Number.Value; got != "发改振兴〔2022〕767号" {
		t.Errorf("override Document().Number.Value = %q; want the changed number", got)
	}
	if len(kb.Pairs()) != 19 {
		t.Errorf("override len(Pairs()) = %d; want 19", len(kb.Pairs()))
	}

	// The embedded data is untouched.
	emb := loadBase(t)
	if p, _ := emb.PartnerOf("lishui"); p.Status != knowledge.StatusC1 {
		t.Errorf("embedded PartnerOf(lishui).Status = %q after an override; want C1", p.Status)
	}
	if got := emb.Document().Number.Value; got != "发改振兴〔2022〕766号" {
		t.Errorf("embedded Document().Number.Value = %q after an override", got)
	}
}

func TestLoadIsTheShippedFile(t *testing.T) {
	emb := loadBase(t)
	fromDisk, err := knowledge.LoadFile("data/plan.yaml")
	if err != nil {
		t.Fatalf("LoadFile(data/plan.yaml) = %v", err)
	}
	if len(emb.Pairs()) != len(fromDisk.Pairs()) || len(emb.Places()) != len(fromDisk.Places()) ||
		len(emb.Aliases()) != len(fromDisk.Aliases()) {
		t.Errorf("Load() and LoadFile(data/plan.yaml) differ: %d/%d pairs, %d/%d places, %d/%d aliases",
			len(emb.Pairs()), len(fromDisk.Pairs()), len(emb.Places()), len(fromDisk.Places()),
			len(emb.Aliases()), len(fromDisk.Aliases()))
	}
}
