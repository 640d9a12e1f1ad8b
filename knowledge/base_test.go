package knowledge_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/planbot/planbot/knowledge"
)

// placeNames returns the English names of places, sorted.
func placeNames(places []knowledge.Place) []string {
	var out []string
	for _, p := range places {
		out = append(out, p.Name.EN)
	}
	sort.Strings(out)
	return out
}

// pairNames returns pairs as "Key-Partner" by English name, sorted.
func pairNames(t *testing.T, kb *knowledge.Base, pairs []knowledge.Pair) []string {
	t.Helper()
	var out []string
	for _, p := range pairs {
		k, ok1 := kb.Place(p.Key)
		q, ok2 := kb.Place(p.Partner)
		if !ok1 || !ok2 {
			t.Fatalf("pair %s-%s names an unknown place", p.Key, p.Partner)
		}
		out = append(out, k.Name.EN+"-"+q.Name.EN)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

func TestPlacesInProvince(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name     string
		province string
		role     knowledge.Role
		want     []string // English names, any order
	}{
		{name: "Guangdong key cities", province: "guangdong", role: knowledge.RoleKey, want: []string{"Meizhou", "Shanwei"}},
		{name: "Guangdong partners", province: "guangdong", role: knowledge.RolePartner,
			want: []string{"Shenzhen", "Dongguan", "Guangzhou", "Foshan"}},
		{name: "Jiangxi key cities", province: "jiangxi", role: knowledge.RoleKey, want: []string{"Ganzhou", "Ji'an"}},
		{name: "Fujian key cities", province: "fujian", role: knowledge.RoleKey, want: []string{"Longyan", "Sanming"}},
		{name: "Hubei key cities", province: "hubei", role: knowledge.RoleKey, want: []string{"Huanggang", "Enshi"}},
		{name: "Hunan key cities", province: "hunan", role: knowledge.RoleKey, want: []string{"Zhangjiajie", "Chenzhou"}},
		{name: "Zhejiang key cities", province: "zhejiang", role: knowledge.RoleKey, want: []string{"Lishui"}},
		{name: "Zhejiang partners", province: "zhejiang", role: knowledge.RolePartner, want: []string{"Ningbo", "Hangzhou", "Jinhua"}},
		{name: "Jiangsu partners", province: "jiangsu", role: knowledge.RolePartner, want: []string{"Suzhou (Jiangsu)", "Nanjing", "Wuxi"}},
		{name: "Jiangsu has no key city", province: "jiangsu", role: knowledge.RoleKey, want: nil},
		{name: "Shandong key and partner", province: "shandong", role: knowledge.RoleKey, want: []string{"Linyi"}},
		{name: "Shandong partner", province: "shandong", role: knowledge.RolePartner, want: []string{"Jinan"}},
		{name: "Yunnan has none in the plan", province: "yunnan", role: knowledge.RoleKey, want: nil},
		{name: "unknown province", province: "atlantis", role: knowledge.RoleKey, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kb.PlacesInProvince(tc.province, tc.role)
			if !slices.Equal(placeNames(got), sorted(tc.want)) {
				t.Errorf("PlacesInProvince(%q, %q) = %v; want %v", tc.province, tc.role, placeNames(got), sorted(tc.want))
			}
		})
	}

	// Places not in the plan are found by province too.
	anhui := placeNames(kb.PlacesInProvince("anhui", knowledge.RoleOther))
	for _, want := range []string{"Hefei", "Suzhou (Anhui)"} {
		if !slices.Contains(anhui, want) {
			t.Errorf("PlacesInProvince(anhui, other) = %v; want it to include %q", anhui, want)
		}
	}
}

// TestPlaceProvince checks the province of places whose province is easy to
// get wrong: Hong Kong is its own region, not part of Guangdong.
func TestPlaceProvince(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name       string
		place      string
		province   string
		provinceEN string
		provinceZH string
	}{
		{name: "Hong Kong is its own region", place: "Hong Kong", province: "hong_kong",
			provinceEN: "Hong Kong", provinceZH: "香港特别行政区"},
		{name: "香港", place: "香港", province: "hong_kong", provinceEN: "Hong Kong", provinceZH: "香港特别行政区"},
		{name: "Zhuhai is in Guangdong", place: "Zhuhai", province: "guangdong", provinceEN: "Guangdong", provinceZH: "广东省"},
		{name: "Shanghai the city is in Shanghai", place: "Shanghai", province: "shanghai", provinceEN: "Shanghai", provinceZH: "上海市"},
		{name: "Chongqing the city is in Chongqing", place: "Chongqing", province: "chongqing", provinceEN: "Chongqing", provinceZH: "重庆市"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := placeNamed(t, kb, tc.place)
			if p.Province != tc.province {
				t.Fatalf("LookupPlace(%q).Province = %q; want %q", tc.place, p.Province, tc.province)
			}
			pr, ok := kb.Province(p.Province)
			if !ok || pr.Name.EN != tc.provinceEN || pr.Name.ZH != tc.provinceZH {
				t.Errorf("Province(%q) = %+v, %v; want %s/%s", p.Province, pr.Name, ok, tc.provinceEN, tc.provinceZH)
			}
		})
	}
	for _, name := range []string{"Hong Kong SAR", "香港特别行政区"} {
		if ids := lookupKind(kb, name, knowledge.KindProvince); len(ids) != 1 || ids[0] != "hong_kong" {
			t.Errorf("Lookup(%q) provinces = %v; want [hong_kong]", name, ids)
		}
	}
	if got := placeNames(kb.PlacesInProvince("guangdong", knowledge.RoleOther)); slices.Contains(got, "Hong Kong") {
		t.Errorf("PlacesInProvince(guangdong, other) = %v; want no Hong Kong", got)
	}
}

func TestPairsInProvince(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name     string
		province string
		want     []string // "Key-Partner", any order
	}{
		{name: "Guangdong, key cities and partners", province: "guangdong", want: []string{
			"Ganzhou-Shenzhen", "Ji'an-Dongguan", "Longyan-Guangzhou", "Meizhou-Guangzhou",
			"Shanwei-Shenzhen", "Baise-Shenzhen", "Chenzhou-Foshan"}},
		{name: "Zhejiang", province: "zhejiang", want: []string{
			"Huanggang-Ningbo", "Enshi-Hangzhou", "Bazhong-Jinhua", "Lishui-Ningbo"}},
		{name: "Shandong, inside one province", province: "shandong", want: []string{"Linyi-Jinan"}},
		{name: "Hubei", province: "hubei", want: []string{"Huanggang-Ningbo", "Enshi-Hangzhou"}},
		{name: "Shanghai", province: "shanghai", want: []string{"Lu'an-Shanghai", "Sanming-Shanghai"}},
		{name: "Jiangsu", province: "jiangsu", want: []string{"Xinyang-Suzhou (Jiangsu)", "Zhangjiajie-Nanjing", "Yan'an-Wuxi"}},
		{name: "Yunnan has none", province: "yunnan", want: nil},
		{name: "unknown province", province: "atlantis", want: nil},
		{name: "no province", province: "", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := pairNames(t, kb, kb.PairsInProvince(tc.province))
			if !slices.Equal(got, sorted(tc.want)) {
				t.Errorf("PairsInProvince(%q) = %v; want %v", tc.province, got, sorted(tc.want))
			}
		})
	}
}

func TestPairsInBaseArea(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name string
		area string // a name of the base area
		want []string
	}{
		{name: "Dabie Mountains", area: "大别山革命老区", want: []string{"Lu'an-Shanghai", "Xinyang-Suzhou (Jiangsu)", "Huanggang-Ningbo"}},
		{name: "former Central Soviet Area", area: "赣闽粤原中央苏区", want: []string{
			"Ganzhou-Shenzhen", "Longyan-Guangzhou", "Sanming-Shanghai", "Meizhou-Guangzhou"}},
		{name: "Shaanxi-Gansu-Ningxia", area: "陕甘宁革命老区", want: []string{"Yan'an-Wuxi", "Qingyang-Tianjin"}},
		{name: "Hunan-Hubei-Chongqing-Guizhou", area: "湘鄂渝黔革命老区", want: []string{"Enshi-Hangzhou", "Zhangjiajie-Nanjing"}},
		{name: "Hunan-Jiangxi border", area: "湘赣边革命老区", want: []string{"Chenzhou-Foshan"}},
		{name: "Hailufeng", area: "海陆丰革命老区", want: []string{"Shanwei-Shenzhen"}},
		{name: "Zuoyoujiang", area: "左右江革命老区", want: []string{"Baise-Shenzhen"}},
		{name: "Sichuan-Shaanxi", area: "川陕革命老区", want: []string{"Bazhong-Jinhua"}},
		{name: "Taihang", area: "太行革命老区", want: []string{"Changzhi-Beijing"}},
		{name: "Yimeng", area: "沂蒙革命老区", want: []string{"Linyi-Jinan"}},
		{name: "Southwestern Zhejiang", area: "浙西南革命老区", want: []string{"Lishui-Ningbo"}},
	}
	seen := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var id string
			for _, a := range kb.Lookup(tc.area) {
				if a.Kind == knowledge.KindBaseArea {
					id = a.ID
				}
			}
			if id == "" {
				t.Fatalf("Lookup(%q) found no base area", tc.area)
			}
			got := pairNames(t, kb, kb.PairsInBaseArea(id))
			if !slices.Equal(got, sorted(tc.want)) {
				t.Errorf("PairsInBaseArea(%q) = %v; want %v", id, got, sorted(tc.want))
			}
			seen += len(got)
		})
	}
	// Ji'an's base area is not stated, so 18 of the 19 pairs have one.
	if seen != 18 {
		t.Errorf("pairs found by base area = %d; want 18 (all but Ji'an)", seen)
	}
	for _, id := range []string{"atlantis", ""} {
		if got := kb.PairsInBaseArea(id); len(got) != 0 {
			t.Errorf("PairsInBaseArea(%q) = %v; want none", id, pairNames(t, kb, got))
		}
	}
}

func TestTasks(t *testing.T) {
	kb := loadBase(t)
	taskSources := []string{"S1", "S3", "S5", "S8", "S13"} // the fact sheet's sources for the tasks
	tests := []struct {
		name   string
		number int
		zh     string
		en     string // a word the English name contains
	}{
		{name: "1 red culture", number: 1, zh: "传承弘扬红色文化", en: "red"},
		{name: "2 rural revitalisation", number: 2, zh: "衔接推进乡村振兴和新型城镇化", en: "rural revitalisation"},
		{name: "3 infrastructure", number: 3, zh: "完善基础设施和基本公共服务", en: "infrastructure"},
		{name: "4 ecology", number: 4, zh: "促进生态环境保护修复和绿色低碳发展", en: "ecological"},
		{name: "5 industrial platforms", number: 5, zh: "共同建设产业合作平台载体", en: "industrial cooperation"},
	}
	if got := len(kb.Tasks()); got != len(tests) {
		t.Errorf("len(Tasks()) = %d; want %d", got, len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			task, ok := kb.Task(tc.number)
			if !ok {
				t.Fatalf("Task(%d) not found", tc.number)
			}
			if task.Number != tc.number {
				t.Errorf("Task(%d).Number = %d", tc.number, task.Number)
			}
			if task.Name.ZH != tc.zh {
				t.Errorf("Task(%d).Name.ZH = %q; want %q", tc.number, task.Name.ZH, tc.zh)
			}
			if !strings.Contains(task.Name.EN, tc.en) {
				t.Errorf("Task(%d).Name.EN = %q; want it to contain %q", tc.number, task.Name.EN, tc.en)
			}
			if task.Summary.EN == "" || task.Summary.ZH == "" {
				t.Errorf("Task(%d).Summary = %v; want both languages", tc.number, task.Summary)
			}
			if len(task.Sources) == 0 {
				t.Errorf("Task(%d) cites no source", tc.number)
			}
			for _, s := range task.Sources {
				if !slices.Contains(taskSources, s) {
					t.Errorf("Task(%d) cites %s; the fact sheet gives %v", tc.number, s, taskSources)
				}
			}
			if kb.Tasks()[tc.number-1].Number != tc.number {
				t.Errorf("Tasks()[%d].Number = %d; want %d", tc.number-1, kb.Tasks()[tc.number-1].Number, tc.number)
			}
		})
	}
	for _, n := range []int{0, 6, -1, 100} {
		if task, ok := kb.Task(n); ok {
			t.Errorf("Task(%d) = %q, true; want no task", n, task.Name.EN)
		}
	}
}

func TestMeasures(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name  string
		kind  knowledge.MeasureKind
		count int
		cites string // a source some measure of the kind cites
		text  string // a word some measure's English text contains
	}{
		{name: "exchanges: visits and officials", kind: knowledge.MeasureExchanges, count: 2, cites: "S1", text: "temporary postings"},
		{name: "implementation plans", kind: knowledge.MeasureImplementation, count: 1, cites: "S3", text: "five-year"},
		{name: "central departments", kind: knowledge.MeasureDepartmentSupport, count: 1, cites: "S1", text: "central departments"},
		{name: "finance", kind: knowledge.MeasureFinance, count: 1, cites: "S3", text: "financial institutions"},
		{name: "evaluation, with the 2022-2024 review", kind: knowledge.MeasureEvaluation, count: 2, cites: "S34", text: "April 2024"},
		{name: "other cities", kind: knowledge.MeasureOtherCities, count: 1, cites: "S1", text: "central China"},
		{name: "integration", kind: knowledge.MeasureIntegration, count: 1, cites: "S1", text: "counterpart support"},
	}
	total := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kb.Measures(tc.kind)
			if len(got) != tc.count {
				t.Errorf("len(Measures(%q)) = %d; want %d", tc.kind, len(got), tc.count)
			}
			var cites, says bool
			for _, m := range got {
				if m.Kind != tc.kind {
					t.Errorf("Measures(%q) holds a %q measure", tc.kind, m.Kind)
				}
				if m.Text.EN == "" || m.Text.ZH == "" {
					t.Errorf("Measures(%q) text %v; want both languages", tc.kind, m.Text)
				}
				cites = cites || slices.Contains(m.Sources, tc.cites)
				says = says || strings.Contains(m.Text.EN, tc.text)
			}
			if !cites {
				t.Errorf("no %q measure cites %s", tc.kind, tc.cites)
			}
			if !says {
				t.Errorf("no %q measure says %q", tc.kind, tc.text)
			}
			total += len(got)
		})
	}
	if got := len(kb.AllMeasures()); got != total {
		t.Errorf("len(AllMeasures()) = %d; the kinds hold %d", got, total)
	}
	if got := kb.Measures("visits"); len(got) != 0 {
		t.Errorf("Measures(visits) = %v; want none", got)
	}
}

func TestDocument(t *testing.T) {
	kb := loadBase(t)
	doc := kb.Document()
	tests := []struct {
		name      string
		got, want any
	}{
		{name: "English title", got: doc.Title.EN, want: "Work Plan for Paired Cooperation in Key Cities in Old Revolutionary Base Areas"},
		{name: "Chinese title", got: doc.Title.ZH, want: "革命老区重点城市对口合作工作方案"},
		{name: "issuer", got: doc.Issuer.ZH, want: "国家发展改革委"},
		{name: "issuer names the NDRC", got: strings.Contains(doc.Issuer.EN, "NDRC"), want: true},
		{name: "State Council consent", got: strings.Contains(doc.Consent.ZH, "经国务院同意"), want: true},
		{name: "number", got: doc.Number.Value, want: "发改振兴〔2022〕766号"},
		{name: "number has one source, S14", got: strings.Join(doc.Number.Sources, ","), want: "S14"},
		{name: "issued in May 2022", got: doc.Issued.EN, want: "May 2022"},
		{name: "issued, Chinese", got: doc.Issued.ZH, want: "2022年5月"},
		{name: "19 May is unconfirmed", got: strings.Contains(doc.Issued.Note.EN, "19 May 2022"), want: true},
		{name: "19 May from S22", got: strings.Join(doc.Issued.NoteSources, ","), want: "S22"},
		{name: "published 7 June 2022", got: strings.Contains(doc.Published.EN, "7 June 2022"), want: true},
		{name: "published 2022年6月7日", got: strings.Contains(doc.Published.ZH, "2022年6月7日"), want: true},
		{name: "published on the NDRC site", got: strings.Contains(doc.Published.EN, "NDRC"), want: true},
		{name: "period start", got: doc.Period.Start, want: 2022},
		{name: "period end", got: doc.Period.End, want: 2030},
		{name: "eight years", got: doc.Period.Years, want: 8},
		{name: "years match the period", got: doc.Period.End - doc.Period.Start, want: doc.Period.Years},
		{name: "20 key cities", got: doc.Scale.KeyCities, want: 20},
		{name: "20 pairs", got: doc.Scale.Pairs, want: 20},
		{name: "one-to-one pairings", got: strings.Contains(doc.Selection.Text.EN, "one-to-one"), want: true},
		{name: "selection from S4", got: slices.Contains(doc.Selection.Sources, "S4"), want: true},
		{name: "implements 国发〔2021〕3号", got: strings.Contains(doc.Policy.Text.ZH, "国发〔2021〕3号"), want: true},
		{name: "part of 1+N+X", got: strings.Contains(doc.Policy.Text.EN, "1+N+X"), want: true},
		{name: "policy cites S5", got: slices.Contains(doc.Policy.Sources, "S5"), want: true},
		{name: "dates cite the seed article", got: slices.Contains(doc.DateSources, "S3"), want: true},
		{name: "one pair unknown", got: kb.UnknownPairs(), want: 1},
		{name: "known and unknown pairs make the scale", got: len(kb.Pairs()) + kb.UnknownPairs(), want: doc.Scale.Pairs},
		{name: "key cities and the unknown one make the scale",
			got: len(keyPlaces(kb)) + kb.UnknownPairs(), want: doc.Scale.KeyCities},
		{name: "aims cite S1 and S3", got: strings.Join(kb.Aims().Sources, ","), want: "S1,S3"},
		{name: "aims in English", got: strings.Contains(kb.Aims().Text.EN, "poverty-alleviation"), want: true},
		{name: "aims in Chinese", got: strings.Contains(kb.Aims().Text.ZH, "乡村振兴"), want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v; want %v", tc.got, tc.want)
			}
		})
	}
}

func keyPlaces(kb *knowledge.Base) []knowledge.Place {
	var out []knowledge.Place
	for _, p := range kb.Places() {
		if p.Role == knowledge.RoleKey {
			out = append(out, p)
		}
	}
	return out
}

func TestSources(t *testing.T) {
	kb := loadBase(t)
	// The fact sheet's sources; S10, S12, S17, S25, S30 and S35 are not in it.
	want := []string{"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S11", "S13", "S14", "S15", "S16",
		"S18", "S19", "S20", "S21", "S22", "S23", "S24", "S26", "S27", "S28", "S29", "S31", "S32", "S33",
		"S34", "S36", "S37"}
	var got []string
	for _, s := range kb.Sources() {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Sources() = %v; want %v", got, want)
	}

	tests := []struct {
		name string
		id   string
		ok   bool
		text string // a part of the text
	}{
		{name: "the seed article", id: "S3", ok: true, text: "Rednet"},
		{name: "the gov.cn reprint", id: "S2", ok: true, text: "gov.cn"},
		{name: "the document number's source", id: "S14", ok: true, text: "766"},
		{name: "the evaluation press conference", id: "S34", ok: true, text: "January 2025"},
		{name: "a gap in the numbering", id: "S10", ok: false},
		{name: "past the end", id: "S38", ok: false},
		{name: "lower case is another id", id: "s3", ok: false},
		{name: "empty", id: "", ok: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := kb.Source(tc.id)
			if ok != tc.ok {
				t.Fatalf("Source(%q) ok = %v; want %v", tc.id, ok, tc.ok)
			}
			if ok && (s.ID != tc.id || !strings.Contains(s.Text, tc.text)) {
				t.Errorf("Source(%q) = %+v; want id %s and text containing %q", tc.id, s, tc.id, tc.text)
			}
		})
	}

	// The fact sheet gives S20 no date, so its text must not invent one.
	if s, _ := kb.Source("S20"); s.Text != "Report on Suzhou–Xinyang visits." {
		t.Errorf("Source(S20).Text = %q; want %q", s.Text, "Report on Suzhou–Xinyang visits.")
	}
}

// TestEveryCitedSourceExists walks every fact through the API and checks its
// sources resolve.
func TestEveryCitedSourceExists(t *testing.T) {
	kb := loadBase(t)
	doc := kb.Document()
	cited := map[string][]string{
		"document.number":       doc.Number.Sources,
		"document.issued.note":  doc.Issued.NoteSources,
		"document.sources":      doc.Sources,
		"document.date_sources": doc.DateSources,
		"document.selection":    doc.Selection.Sources,
		"document.policy":       doc.Policy.Sources,
		"aims":                  kb.Aims().Sources,
	}
	for _, p := range kb.Pairs() {
		cited["pair "+p.Key+"-"+p.Partner] = p.Sources
	}
	for _, task := range kb.Tasks() {
		cited["task "+task.Name.EN] = task.Sources
	}
	for i, m := range kb.AllMeasures() {
		cited[fmt.Sprintf("measures[%d] %s", i, m.Kind)] = m.Sources
	}
	for name, ids := range cited {
		t.Run(name, func(t *testing.T) {
			if len(ids) == 0 {
				t.Errorf("%s cites no source", name)
			}
			for _, id := range ids {
				if _, ok := kb.Source(id); !ok {
					t.Errorf("%s cites %q; Source(%q) not found", name, id, id)
				}
			}
		})
	}
}

// TestEveryTextHasBothLanguages checks what a user can see through the API.
func TestEveryTextHasBothLanguages(t *testing.T) {
	kb := loadBase(t)
	texts := map[string]knowledge.Text{}
	for _, p := range kb.Places() {
		texts["place "+p.ID] = p.Name
		if p.Formal != nil {
			texts["place "+p.ID+" formal"] = *p.Formal
		}
		if p.Note != nil {
			texts["place "+p.ID+" note"] = *p.Note
		}
		if pr, ok := kb.Province(p.Province); ok {
			texts["province "+pr.ID] = pr.Name
		} else {
			t.Errorf("place %s: Province(%q) not found", p.ID, p.Province)
		}
		if p.BaseArea != "" {
			if a, ok := kb.BaseArea(p.BaseArea); ok {
				texts["base area "+a.ID] = a.Name
			} else {
				t.Errorf("place %s: BaseArea(%q) not found", p.ID, p.BaseArea)
			}
		}
	}
	for _, task := range kb.Tasks() {
		texts["task name "+task.Name.EN] = task.Name
		texts["task summary "+task.Name.EN] = task.Summary
	}
	for _, m := range kb.AllMeasures() {
		texts["measure "+m.Text.EN] = m.Text
	}
	for name, tx := range texts {
		if tx.EN == "" || tx.ZH == "" {
			t.Errorf("%s = %+v; want English and Chinese", name, tx)
		}
	}
}

// TestConcurrentReads lets -race check that a Base is safe to share.
func TestConcurrentReads(t *testing.T) {
	kb := loadBase(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, name := range []string{"Ji'an", "Shenzhen", "恩施", "宿州", "Hubei", "大别山"} {
				for _, a := range kb.Lookup(name) {
					if a.Kind == knowledge.KindPlace {
						kb.PartnerOf(a.ID)
						kb.KeyCitiesOf(a.ID)
					}
				}
			}
			kb.PairsInProvince("guangdong")
			kb.Task(3)
		}()
	}
	wg.Wait()
	if _, ok := kb.PartnerOf("ganzhou"); !ok {
		t.Error("PartnerOf(ganzhou) lost after concurrent reads")
	}
}
