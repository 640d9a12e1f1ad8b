package knowledge_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/planbot/planbot/knowledge"
)

// loadBase loads the embedded fact base or stops the test.
func loadBase(t *testing.T) *knowledge.Base {
	t.Helper()
	kb, err := knowledge.Load()
	if err != nil {
		t.Fatalf("Load() = %v", err)
	}
	return kb
}

// placeNamed finds a place by one of its names or stops the test.
func placeNamed(t *testing.T, kb *knowledge.Base, name string) knowledge.Place {
	t.Helper()
	p, ok := kb.LookupPlace(name)
	if !ok {
		t.Fatalf("LookupPlace(%q) found nothing", name)
	}
	return p
}

// pairRow is one row of the fact sheet's pair table (shared/plan/facts.md),
// written out by hand from that table and not from data/plan.yaml, so that a
// slip in the data shows up as a difference.
type pairRow struct {
	name               string
	key, keyZH         string // the key city's English and Chinese names
	keyProvince        string // English name of the key city's province
	baseArea           string // Chinese name of the base area; "" where not stated
	partner, partnerZH string
	partnerProvince    string
	status             knowledge.Status
	sources            []string
	partnerHasOthers   bool // the partner has more than one key city
	sameProvince       bool // both cities lie in one province
}

var factSheetPairs = []pairRow{
	{name: "1 Ganzhou-Shenzhen", key: "Ganzhou", keyZH: "赣州市", keyProvince: "Jiangxi", baseArea: "赣闽粤原中央苏区",
		partner: "Shenzhen", partnerZH: "深圳市", partnerProvince: "Guangdong", status: knowledge.StatusC2,
		sources: []string{"S4", "S14", "S16"}, partnerHasOthers: true},
	{name: "2 Ji'an-Dongguan", key: "Ji'an", keyZH: "吉安市", keyProvince: "Jiangxi", baseArea: "",
		partner: "Dongguan", partnerZH: "东莞市", partnerProvince: "Guangdong", status: knowledge.StatusC2,
		sources: []string{"S14", "S15"}},
	{name: "3 Longyan-Guangzhou", key: "Longyan", keyZH: "龙岩市", keyProvince: "Fujian", baseArea: "赣闽粤原中央苏区",
		partner: "Guangzhou", partnerZH: "广州市", partnerProvince: "Guangdong", status: knowledge.StatusC2,
		sources: []string{"S4", "S11"}, partnerHasOthers: true},
	{name: "4 Sanming-Shanghai", key: "Sanming", keyZH: "三明市", keyProvince: "Fujian", baseArea: "赣闽粤原中央苏区",
		partner: "Shanghai", partnerZH: "上海市", partnerProvince: "Shanghai", status: knowledge.StatusC2,
		sources: []string{"S4", "S9"}, partnerHasOthers: true},
	{name: "5 Meizhou-Guangzhou", key: "Meizhou", keyZH: "梅州市", keyProvince: "Guangdong", baseArea: "赣闽粤原中央苏区",
		partner: "Guangzhou", partnerZH: "广州市", partnerProvince: "Guangdong", status: knowledge.StatusC2,
		sources: []string{"S4", "S5", "S6"}, partnerHasOthers: true, sameProvince: true},
	{name: "6 Shanwei-Shenzhen", key: "Shanwei", keyZH: "汕尾市", keyProvince: "Guangdong", baseArea: "海陆丰革命老区",
		partner: "Shenzhen", partnerZH: "深圳市", partnerProvince: "Guangdong", status: knowledge.StatusC1,
		sources: []string{"S4"}, partnerHasOthers: true, sameProvince: true},
	{name: "7 Baise-Shenzhen", key: "Baise", keyZH: "百色市", keyProvince: "Guangxi", baseArea: "左右江革命老区",
		partner: "Shenzhen", partnerZH: "深圳市", partnerProvince: "Guangdong", status: knowledge.StatusC2,
		sources: []string{"S4", "S18"}, partnerHasOthers: true},
	{name: "8 Lu'an-Shanghai", key: "Lu'an", keyZH: "六安市", keyProvince: "Anhui", baseArea: "大别山革命老区",
		partner: "Shanghai", partnerZH: "上海市", partnerProvince: "Shanghai", status: knowledge.StatusC2,
		sources: []string{"S4", "S8"}, partnerHasOthers: true},
	{name: "9 Xinyang-Suzhou", key: "Xinyang", keyZH: "信阳市", keyProvince: "Henan", baseArea: "大别山革命老区",
		partner: "Suzhou (Jiangsu)", partnerZH: "苏州市", partnerProvince: "Jiangsu", status: knowledge.StatusC2,
		sources: []string{"S19", "S20", "S21"}},
	{name: "10 Huanggang-Ningbo", key: "Huanggang", keyZH: "黄冈市", keyProvince: "Hubei", baseArea: "大别山革命老区",
		partner: "Ningbo", partnerZH: "宁波市", partnerProvince: "Zhejiang", status: knowledge.StatusC2,
		sources: []string{"S4", "S19", "S23"}, partnerHasOthers: true},
	{name: "11 Enshi-Hangzhou", key: "Enshi", keyZH: "恩施州", keyProvince: "Hubei", baseArea: "湘鄂渝黔革命老区",
		partner: "Hangzhou", partnerZH: "杭州市", partnerProvince: "Zhejiang", status: knowledge.StatusC2,
		sources: []string{"S4", "S24"}},
	{name: "12 Zhangjiajie-Nanjing", key: "Zhangjiajie", keyZH: "张家界市", keyProvince: "Hunan", baseArea: "湘鄂渝黔革命老区",
		partner: "Nanjing", partnerZH: "南京市", partnerProvince: "Jiangsu", status: knowledge.StatusSeed,
		sources: []string{"S3", "S7"}},
	{name: "13 Chenzhou-Foshan", key: "Chenzhou", keyZH: "郴州市", keyProvince: "Hunan", baseArea: "湘赣边革命老区",
		partner: "Foshan", partnerZH: "佛山市", partnerProvince: "Guangdong", status: knowledge.StatusSeed,
		sources: []string{"S3", "S7"}},
	{name: "14 Bazhong-Jinhua", key: "Bazhong", keyZH: "巴中市", keyProvince: "Sichuan", baseArea: "川陕革命老区",
		partner: "Jinhua", partnerZH: "金华市", partnerProvince: "Zhejiang", status: knowledge.StatusC2,
		sources: []string{"S4", "S26", "S27"}},
	{name: "15 Yan'an-Wuxi", key: "Yan'an", keyZH: "延安市", keyProvince: "Shaanxi", baseArea: "陕甘宁革命老区",
		partner: "Wuxi", partnerZH: "无锡市", partnerProvince: "Jiangsu", status: knowledge.StatusC2,
		sources: []string{"S28", "S29"}},
	{name: "16 Qingyang-Tianjin", key: "Qingyang", keyZH: "庆阳市", keyProvince: "Gansu", baseArea: "陕甘宁革命老区",
		partner: "Tianjin", partnerZH: "天津市", partnerProvince: "Tianjin", status: knowledge.StatusC2,
		sources: []string{"S31", "S32"}},
	{name: "17 Changzhi-Beijing", key: "Changzhi", keyZH: "长治市", keyProvince: "Shanxi", baseArea: "太行革命老区",
		partner: "Beijing", partnerZH: "北京市", partnerProvince: "Beijing", status: knowledge.StatusC2,
		sources: []string{"S33", "S34"}},
	{name: "18 Linyi-Jinan", key: "Linyi", keyZH: "临沂市", keyProvince: "Shandong", baseArea: "沂蒙革命老区",
		partner: "Jinan", partnerZH: "济南市", partnerProvince: "Shandong", status: knowledge.StatusC2,
		sources: []string{"S22", "S36", "S37"}, sameProvince: true},
	{name: "19 Lishui-Ningbo", key: "Lishui", keyZH: "丽水市", keyProvince: "Zhejiang", baseArea: "浙西南革命老区",
		partner: "Ningbo", partnerZH: "宁波市", partnerProvince: "Zhejiang", status: knowledge.StatusC1,
		sources: []string{"S4"}, partnerHasOthers: true, sameProvince: true},
}

func TestFactSheetHasNineteenKnownPairs(t *testing.T) {
	kb := loadBase(t)
	if got, want := len(kb.Pairs()), len(factSheetPairs); got != want || want != 19 {
		t.Fatalf("len(Pairs()) = %d; fact sheet table has %d rows, want 19", got, want)
	}
	// Every pair in the data is a row of the fact sheet: no extra pair.
	want := map[[2]string]bool{}
	for _, tc := range factSheetPairs {
		want[[2]string{placeNamed(t, kb, tc.key).ID, placeNamed(t, kb, tc.partner).ID}] = true
	}
	for i, p := range kb.Pairs() {
		if !want[[2]string{p.Key, p.Partner}] {
			t.Errorf("Pairs()[%d] = %s-%s; not a pair of the fact sheet", i, p.Key, p.Partner)
		}
	}
}

func TestPartnerOf(t *testing.T) {
	kb := loadBase(t)
	for _, tc := range factSheetPairs {
		t.Run(tc.name, func(t *testing.T) {
			key := placeNamed(t, kb, tc.key)
			partner := placeNamed(t, kb, tc.partner)
			if byZH := placeNamed(t, kb, tc.keyZH); byZH.ID != key.ID {
				t.Errorf("LookupPlace(%q) = %q; want %q", tc.keyZH, byZH.ID, key.ID)
			}
			if byZH := placeNamed(t, kb, tc.partnerZH); byZH.ID != partner.ID {
				t.Errorf("LookupPlace(%q) = %q; want %q", tc.partnerZH, byZH.ID, partner.ID)
			}

			p, ok := kb.PartnerOf(key.ID)
			if !ok {
				t.Fatalf("PartnerOf(%q) found no pair", key.ID)
			}
			if p.Key != key.ID || p.Partner != partner.ID {
				t.Errorf("PartnerOf(%q) = %s-%s; want %s-%s", key.ID, p.Key, p.Partner, key.ID, partner.ID)
			}
			if p.Status != tc.status {
				t.Errorf("PartnerOf(%q).Status = %q; want %q", key.ID, p.Status, tc.status)
			}
			if !slices.Equal(p.Sources, tc.sources) {
				t.Errorf("PartnerOf(%q).Sources = %v; want %v", key.ID, p.Sources, tc.sources)
			}

			checkPlace(t, kb, key, knowledge.RoleKey, tc.key, tc.keyZH, tc.keyProvince)
			checkPlace(t, kb, partner, knowledge.RolePartner, tc.partner, tc.partnerZH, tc.partnerProvince)
			if tc.baseArea == "" {
				if key.BaseArea != "" {
					t.Errorf("%s.BaseArea = %q; want none (not stated in the sources)", key.ID, key.BaseArea)
				}
			} else if a, ok := kb.BaseArea(key.BaseArea); !ok || a.Name.ZH != tc.baseArea {
				t.Errorf("BaseArea(%q) = %q, %v; want %q", key.BaseArea, a.Name.ZH, ok, tc.baseArea)
			}
			if partner.BaseArea != "" {
				t.Errorf("partner %s.BaseArea = %q; want none", partner.ID, partner.BaseArea)
			}

			// A partner is not a key city.
			if p, ok := kb.PartnerOf(partner.ID); ok {
				t.Errorf("PartnerOf(%q) = %s-%s; want no pair for a partner", partner.ID, p.Key, p.Partner)
			}
		})
	}
}

func checkPlace(t *testing.T, kb *knowledge.Base, p knowledge.Place, role knowledge.Role, en, zh, province string) {
	t.Helper()
	if p.Role != role {
		t.Errorf("%s.Role = %q; want %q", p.ID, p.Role, role)
	}
	if p.Name.EN != en || p.Name.ZH != zh {
		t.Errorf("%s.Name = %q/%q; want %q/%q", p.ID, p.Name.EN, p.Name.ZH, en, zh)
	}
	if pr, ok := kb.Province(p.Province); !ok || pr.Name.EN != province {
		t.Errorf("%s is in province %q (%q, %v); want %s", p.ID, p.Province, pr.Name.EN, ok, province)
	}
}

func TestKeyCitiesOfIncludesEveryKeyCity(t *testing.T) {
	kb := loadBase(t)
	for _, tc := range factSheetPairs {
		t.Run(tc.name, func(t *testing.T) {
			key := placeNamed(t, kb, tc.key)
			partner := placeNamed(t, kb, tc.partner)
			pairs := kb.KeyCitiesOf(partner.ID)
			if !slices.ContainsFunc(pairs, func(p knowledge.Pair) bool { return p.Key == key.ID }) {
				t.Errorf("KeyCitiesOf(%q) = %v; want it to include %q", partner.ID, keysOf(pairs), key.ID)
			}
			for _, p := range pairs {
				if p.Partner != partner.ID {
					t.Errorf("KeyCitiesOf(%q) holds pair %s-%s", partner.ID, p.Key, p.Partner)
				}
			}
			if many := len(pairs) > 1; many != tc.partnerHasOthers {
				t.Errorf("KeyCitiesOf(%q) = %v; want more than one: %v", partner.ID, keysOf(pairs), tc.partnerHasOthers)
			}
			// A key city has no key cities of its own.
			if got := kb.KeyCitiesOf(key.ID); len(got) != 0 {
				t.Errorf("KeyCitiesOf(%q) = %v; want none for a key city", key.ID, keysOf(got))
			}
		})
	}
}

func TestKeyCitiesOfPartnersWithSeveral(t *testing.T) {
	kb := loadBase(t)
	tests := []struct {
		name    string
		partner string
		keys    []string // English names, any order
	}{
		{name: "Shenzhen", partner: "Shenzhen", keys: []string{"Ganzhou", "Baise", "Shanwei"}},
		{name: "Shanghai", partner: "Shanghai", keys: []string{"Lu'an", "Sanming"}},
		{name: "Guangzhou", partner: "Guangzhou", keys: []string{"Longyan", "Meizhou"}},
		{name: "Ningbo", partner: "Ningbo", keys: []string{"Huanggang", "Lishui"}},
		{name: "Suzhou has one", partner: "苏州", keys: []string{"Xinyang"}},
		{name: "Jinan has one", partner: "济南", keys: []string{"Linyi"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			partner := placeNamed(t, kb, tc.partner)
			var got []string
			for _, p := range kb.KeyCitiesOf(partner.ID) {
				k, ok := kb.Place(p.Key)
				if !ok {
					t.Fatalf("KeyCitiesOf(%q) names unknown place %q", partner.ID, p.Key)
				}
				got = append(got, k.Name.EN)
			}
			want := slices.Clone(tc.keys)
			sort.Strings(got)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("KeyCitiesOf(%q) = %v; want %v", partner.ID, got, want)
			}
		})
	}
}

func TestKeyCitiesOfNonPartners(t *testing.T) {
	kb := loadBase(t)
	for _, id := range []string{"", "nowhere", "ganzhou", "changsha", "suzhou_anhui", "guangdong"} {
		if got := kb.KeyCitiesOf(id); len(got) != 0 {
			t.Errorf("KeyCitiesOf(%q) = %v; want none", id, keysOf(got))
		}
	}
}

func TestPartnerOfNonKeyCities(t *testing.T) {
	kb := loadBase(t)
	for _, id := range []string{"", "nowhere", "shenzhen", "changsha", "suzhou", "suzhou_anhui", "hubei", "dabie"} {
		if p, ok := kb.PartnerOf(id); ok {
			t.Errorf("PartnerOf(%q) = %s-%s, true; want no pair", id, p.Key, p.Partner)
		}
	}
}

func TestPaired(t *testing.T) {
	kb := loadBase(t)
	for _, tc := range factSheetPairs {
		t.Run(tc.name, func(t *testing.T) {
			key := placeNamed(t, kb, tc.key).ID
			partner := placeNamed(t, kb, tc.partner).ID
			if !kb.Paired(key, partner) {
				t.Errorf("Paired(%q, %q) = false; want true", key, partner)
			}
			if !kb.Paired(partner, key) {
				t.Errorf("Paired(%q, %q) = false; want true", partner, key)
			}
		})
	}

	notPaired := []struct {
		name string
		x, y string // names of places
	}{
		{name: "key city with another key city's partner", x: "Ganzhou", y: "Guangzhou"},
		{name: "Meizhou is not Shenzhen's", x: "Meizhou", y: "Shenzhen"},
		{name: "Lu'an is not Ningbo's", x: "Lu'an", y: "Ningbo"},
		{name: "Lishui is not Hangzhou's (same province)", x: "Lishui", y: "Hangzhou"},
		{name: "Xinyang is not paired with 宿州", x: "Xinyang", y: "宿州"},
		{name: "Zhangjiajie is not Chenzhou's partner's", x: "Zhangjiajie", y: "Foshan"},
		{name: "two key cities", x: "Ganzhou", y: "Longyan"},
		{name: "two partners", x: "Shenzhen", y: "Guangzhou"},
		{name: "a key city with itself", x: "Ganzhou", y: "Ganzhou"},
		{name: "a partner with itself", x: "Shenzhen", y: "Shenzhen"},
		{name: "not-in-plan cities", x: "Changsha", y: "Wuhan"},
		{name: "key city with a not-in-plan city", x: "Yan'an", y: "Xi'an"},
	}
	for _, tc := range notPaired {
		t.Run("not "+tc.name, func(t *testing.T) {
			x := placeNamed(t, kb, tc.x).ID
			y := placeNamed(t, kb, tc.y).ID
			if kb.Paired(x, y) || kb.Paired(y, x) {
				t.Errorf("Paired(%q, %q) = true; want false", x, y)
			}
		})
	}
	for _, ids := range [][2]string{{"", ""}, {"ganzhou", ""}, {"", "shenzhen"}, {"nowhere", "shenzhen"}} {
		if kb.Paired(ids[0], ids[1]) {
			t.Errorf("Paired(%q, %q) = true; want false", ids[0], ids[1])
		}
	}
}

// TestPairsInsideOneProvince checks which pairs lie inside one province. The
// fact sheet's note names two (Jinan-Linyi, Ningbo-Lishui), but its own table
// puts Meizhou-Guangzhou and Shanwei-Shenzhen inside Guangdong as well, so the
// table's four are what the data must give.
func TestPairsInsideOneProvince(t *testing.T) {
	kb := loadBase(t)
	for _, tc := range factSheetPairs {
		t.Run(tc.name, func(t *testing.T) {
			key := placeNamed(t, kb, tc.key)
			partner := placeNamed(t, kb, tc.partner)
			if same := key.Province == partner.Province; same != tc.sameProvince {
				t.Errorf("%s in %s, %s in %s: same province %v; want %v",
					key.ID, key.Province, partner.ID, partner.Province, same, tc.sameProvince)
			}
		})
	}
}

func keysOf(pairs []knowledge.Pair) []string {
	var out []string
	for _, p := range pairs {
		out = append(out, p.Key)
	}
	return out
}
