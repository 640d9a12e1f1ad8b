package bot

import (
	"strconv"
	"strings"

	"github.com/planbot/planbot/knowledge"
)

// compose words the answer to a resolution in lang.
func (e *Engine) compose(r resolution, lang Locale) Answer {
	c := composer{e: e, lang: lang, m: e.msg[lang], sources: make([]string, 0, 8)}
	c.a.Lang = lang
	c.a.Lines = make([]string, 0, 4)
	c.a.Why = Explanation{
		Intent:        r.intent,
		Confidence:    round2(r.confidence),
		Entities:      r.entities,
		RunnerUp:      publicIntent(r.runnerUp.intent),
		RunnerUpScore: round2(r.runnerUp.score),
		FromContext:   r.fromContext,
	}
	c.answer(r)
	if !c.a.Fallback {
		// Say how a misspelt name was read, so a wrong guess shows.
		for i := len(r.readAs) - 1; i >= 0; i-- {
			ra := r.readAs[i]
			c.a.Lines = append([]string{fill(c.m["read_as"], "typed", ra.typed, "name", c.text(ra.place.Name))}, c.a.Lines...)
		}
	}
	return c.finish()
}

// publicIntent hides the phrasing data's pseudo-intents in explanations.
func publicIntent(i Intent) Intent {
	switch i {
	case intentPairing:
		return IntentPartnerOf
	case intentFollowup, intentOffTopic:
		return IntentFallback
	}
	return i
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

type composer struct {
	e       *Engine
	lang    Locale
	m       map[string]string
	a       Answer
	sources []string
}

// say appends a line from the message template key, filled with kv pairs.
func (c *composer) say(key string, kv ...string) {
	c.a.Lines = append(c.a.Lines, fill(c.m[key], kv...))
}

func (c *composer) cite(ids ...string) {
	for _, id := range ids {
		if !containsString(c.sources, id) {
			c.sources = append(c.sources, id)
		}
	}
}

// fill replaces {name} placeholders in t with the values of kv pairs.
func fill(t string, kv ...string) string {
	if !strings.Contains(t, "{") {
		return t
	}
	size := len(t)
	for k := 1; k < len(kv); k += 2 {
		size += len(kv[k])
	}
	var b strings.Builder
	b.Grow(size)
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		name := t[i+1 : i+j]
		found := false
		for k := 0; k+1 < len(kv); k += 2 {
			if kv[k] == name {
				b.WriteString(kv[k+1])
				found = true
				break
			}
		}
		if !found {
			b.WriteString(t[i : i+j+1])
		}
		t = t[i+j+1:]
	}
	return b.String()
}

func (c *composer) text(t knowledge.Text) string {
	if c.lang == Chinese {
		return t.ZH
	}
	return t.EN
}

func (c *composer) place(id string) string {
	p, _ := c.e.kb.Place(id)
	return c.text(p.Name)
}

func (c *composer) province(id string) string {
	p, _ := c.e.kb.Province(id)
	return c.text(p.Name)
}

func (c *composer) area(id string) string {
	a, _ := c.e.kb.BaseArea(id)
	return c.text(a.Name)
}

// cityIn is "Ganzhou (Jiangxi)"; a name that already says where it is
// ("Suzhou (Jiangsu)") stays as it is.
func (c *composer) cityIn(id string) string {
	p, _ := c.e.kb.Place(id)
	name := c.text(p.Name)
	if strings.ContainsAny(name, "(（") {
		return name
	}
	return fill(c.m["city_in"], "city", name, "province", c.province(p.Province))
}

// status is the "according to one report" mark of single-source pairs.
func (c *composer) status(p knowledge.Pair) string {
	if p.Status == knowledge.StatusC1 {
		return c.m["one_report"]
	}
	return ""
}

func (c *composer) join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], c.m["list_sep"]) + c.m["list_last"] + items[len(items)-1]
}

func (c *composer) answer(r resolution) {
	kb := c.e.kb
	doc := kb.Document()
	switch r.intent {
	case IntentPartnerOf:
		c.a.Title = fill(c.m["partner_of_title"], "key", c.text(r.places[0].Name))
		c.partnerOf(r.places[0])
		c.notes(r.places[0])
	case IntentKeyCitiesOf:
		c.keyCitiesOf(r.places[0])
	case IntentPairCheck:
		x, y := pairedAmong(c.e.kb, r.places)
		c.pairCheck(x, y, r.yesNo)
	case IntentNotInPlan:
		for _, p := range r.places {
			c.notInPlan(p)
		}
	case IntentListPairs:
		c.listPairs()
	case IntentUnknownPair:
		c.say("unknown_pair")
		c.cite(doc.DateSources...)
	case IntentPairsInRegion:
		c.pairsInRegion(r.province, r.area)
	case IntentMultiPartners:
		c.a.Title = c.m["multi_partners_title"]
		for _, p := range kb.Places() {
			if pairs := kb.KeyCitiesOf(p.ID); len(pairs) > 1 {
				keys := make([]string, 0, len(pairs))
				for _, pair := range pairs {
					keys = append(keys, c.place(pair.Key)+c.status(pair))
					c.cite(pair.Sources...)
				}
				c.say("multi_partners_line", "partner", c.text(p.Name), "keys", c.join(keys))
			}
		}
	case IntentSameProvince:
		c.a.Title = c.m["same_province_title"]
		for _, p := range kb.Pairs() {
			if mustPlace(kb, p.Key).Province == mustPlace(kb, p.Partner).Province {
				c.pairLine(len(c.a.Lines)+1, p)
			}
		}
	case IntentRegionOf:
		c.regionOf(r.places[0], r.province)
	case IntentCount:
		c.count(r)
	case IntentIssuer:
		c.say("issuer", "issuer", c.text(doc.Issuer), "consent", c.text(doc.Consent))
		c.cite(doc.Sources...)
	case IntentDocNumber:
		c.a.Title = c.m["doc_number_title"]
		c.say("doc_number", "number", doc.Number.Value, "title", c.text(doc.Title))
		c.cite(doc.Number.Sources...)
	case IntentTitle:
		c.say("title", "en", doc.Title.EN, "zh", doc.Title.ZH)
		c.cite(doc.Sources...)
	case IntentIssueDate, IntentPublishDate:
		// People say "released" for both dates, so both are given, asked one first.
		issued := fill(c.m["issue_date"], "issued", c.text(doc.Issued.Text), "note", c.text(doc.Issued.Note))
		published := fill(c.m["publish_date"], "published", c.text(doc.Published))
		if r.intent == IntentIssueDate {
			c.a.Lines = append(c.a.Lines, issued, published)
		} else {
			c.a.Lines = append(c.a.Lines, published, issued)
		}
		c.cite(doc.DateSources...)
		c.cite(doc.Issued.NoteSources...)
	case IntentPeriod:
		c.say("period", "start", strconv.Itoa(doc.Period.Start), "end", strconv.Itoa(doc.Period.End), "years", strconv.Itoa(doc.Period.Years))
		c.cite(doc.DateSources...)
	case IntentTasks:
		c.a.Title = c.m["tasks_title"]
		for _, t := range kb.Tasks() {
			c.say("task_line", "n", strconv.Itoa(t.Number), "name", c.text(t.Name))
			c.cite(t.Sources...)
		}
		c.say("tasks_more")
	case IntentTaskDetail:
		t, ok := kb.Task(r.task)
		if !ok {
			c.answer(resolution{intent: IntentTasks})
			return
		}
		c.say("task_detail", "n", strconv.Itoa(t.Number), "name", c.text(t.Name), "summary", c.text(t.Summary))
		c.cite(t.Sources...)
	case IntentMechanisms:
		c.a.Title = c.m["mechanisms_title"]
		for _, m := range kb.AllMeasures() {
			c.a.Lines = append(c.a.Lines, "- "+c.text(m.Text))
			c.cite(m.Sources...)
		}
	case IntentExchanges:
		c.measures("exchanges_title", knowledge.MeasureExchanges)
	case IntentImplementation:
		c.measures("implementation_title", knowledge.MeasureImplementation)
	case IntentDepartmentSupport:
		c.measures("department_support_title", knowledge.MeasureDepartmentSupport)
	case IntentFinance:
		c.measures("finance_title", knowledge.MeasureFinance)
	case IntentEvaluation:
		c.measures("evaluation_title", knowledge.MeasureEvaluation)
	case IntentOtherCities:
		c.measures("other_cities_title", knowledge.MeasureOtherCities, knowledge.MeasureIntegration)
	case IntentAims:
		c.a.Title = c.m["aims_title"]
		c.a.Lines = append(c.a.Lines, c.text(kb.Aims().Text))
		c.cite(kb.Aims().Sources...)
	case IntentSelection:
		// "Why is Hangzhou paired with Enshi?": the pairing, then why.
		switch {
		case len(r.places) >= 2:
			c.pairCheck(r.places[0], r.places[1], false)
		case len(r.places) == 1 && r.places[0].Role == knowledge.RoleKey:
			c.partnerOf(r.places[0])
		case len(r.places) == 1 && r.places[0].Role == knowledge.RolePartner:
			c.keyCitiesOf(r.places[0])
		}
		c.a.Title = c.m["selection_title"]
		c.a.Lines = append(c.a.Lines, c.text(doc.Selection.Text))
		c.cite(doc.Selection.Sources...)
	case IntentPolicyBasis:
		c.a.Title = c.m["policy_title"]
		c.a.Lines = append(c.a.Lines, c.text(doc.Policy.Text))
		c.cite(doc.Policy.Sources...)
	case IntentOverview:
		c.say("overview", "title", c.text(doc.Title), "start", strconv.Itoa(doc.Period.Start), "end", strconv.Itoa(doc.Period.End),
			"issuer", c.text(doc.Issuer), "issued", c.text(doc.Issued.Text), "consent", c.text(doc.Consent))
		c.say("overview_more")
		c.cite(doc.Sources...)
	case IntentSources:
		c.a.Title = c.m["sources_title"]
		for _, s := range kb.Sources() {
			c.a.Lines = append(c.a.Lines, s.ID+": "+s.Text)
		}
	case IntentGreeting:
		c.say("greeting")
	case IntentHelp:
		c.help()
	case IntentThanks:
		c.say("thanks")
	default:
		c.fallback(r)
	}
}

// pairedAmong picks the two places to check: a couple that is paired, when
// the question offers a choice ("Beijing or Tianjin?"), else the first two.
func pairedAmong(kb *knowledge.Base, ps []knowledge.Place) (knowledge.Place, knowledge.Place) {
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if kb.Paired(ps[i].ID, ps[j].ID) {
				return ps[i], ps[j]
			}
		}
	}
	return ps[0], ps[1]
}

func (c *composer) notes(p knowledge.Place) {
	if p.Note != nil {
		c.say("note", "note", c.text(*p.Note))
	}
}

// partnerOf says who a key city is paired with.
func (c *composer) partnerOf(key knowledge.Place) {
	pair, _ := c.e.kb.PartnerOf(key.ID)
	c.say("partner_of", "key", c.cityIn(key.ID), "partner", c.cityIn(pair.Partner), "status", c.status(pair))
	c.cite(pair.Sources...)
}

func (c *composer) keyCitiesOf(partner knowledge.Place) {
	pairs := c.e.kb.KeyCitiesOf(partner.ID)
	keys := make([]string, 0, len(pairs))
	for _, p := range pairs {
		keys = append(keys, c.cityIn(p.Key)+c.status(p))
		c.cite(p.Sources...)
	}
	c.a.Title = fill(c.m["key_cities_of_title"], "partner", c.text(partner.Name))
	tmpl := "key_cities_of_many"
	if len(pairs) == 1 {
		tmpl = "key_cities_of_one"
	}
	c.say(tmpl, "partner", c.cityIn(partner.ID), "n", strconv.Itoa(len(pairs)), "keys", c.join(keys))
	c.notes(partner)
}

func (c *composer) pairCheck(x, y knowledge.Place, yesNo bool) {
	kb := c.e.kb
	c.a.Title = c.m["pair_check_title"]
	if kb.Paired(x.ID, y.ID) {
		key := x
		if x.Role != knowledge.RoleKey {
			key = y
		}
		pair, _ := kb.PartnerOf(key.ID)
		tmpl := "partner_of" // "A or B?", "what links A and B?": the pairing, no "yes"
		if yesNo {
			tmpl = "pair_yes"
		}
		c.say(tmpl, "key", c.cityIn(pair.Key), "partner", c.cityIn(pair.Partner), "status", c.status(pair))
		c.cite(pair.Sources...)
		return
	}
	// Not paired: say who each really is paired with.
	sub := composer{e: c.e, lang: c.lang, m: c.m}
	for _, p := range []knowledge.Place{x, y} {
		switch p.Role {
		case knowledge.RoleKey:
			pair, _ := kb.PartnerOf(p.ID)
			sub.say("partner_of", "key", sub.place(p.ID), "partner", sub.place(pair.Partner), "status", sub.status(pair))
			c.cite(pair.Sources...)
		case knowledge.RolePartner:
			var keys []string
			for _, pair := range kb.KeyCitiesOf(p.ID) {
				keys = append(keys, sub.place(pair.Key)+sub.status(pair))
				c.cite(pair.Sources...)
			}
			tmpl := "key_cities_of_many"
			if len(keys) == 1 {
				tmpl = "key_cities_of_one"
			}
			sub.say(tmpl, "partner", sub.place(p.ID), "n", strconv.Itoa(len(keys)), "keys", sub.join(keys))
		default:
			sub.say("not_in_plan", "city", sub.place(p.ID))
		}
	}
	sep := " "
	if c.lang == Chinese {
		sep = ""
	}
	if x.ID == y.ID {
		c.say("pair_same", "a", c.place(x.ID))
		return
	}
	c.say("pair_no", "a", c.place(x.ID), "b", c.place(y.ID), "facts", strings.Join(sub.a.Lines, sep))
}

// notInPlan says plainly that a place has no pairing, and names no other
// city's partner: a reader skimming must not take one for this city's.
func (c *composer) notInPlan(p knowledge.Place) {
	c.say("not_in_plan", "city", c.cityIn(p.ID))
	c.notes(p)
	c.cite(c.e.kb.Document().DateSources...)
	c.a.Suggestions = append(c.a.Suggestions, c.e.suggestion("region:"+p.Province, c.lang)...)
}

// pairLine is one numbered line of a list of pairs.
func (c *composer) pairLine(n int, p knowledge.Pair) {
	c.say("list_pairs_line", "n", strconv.Itoa(n), "key", c.cityIn(p.Key), "partner", c.cityIn(p.Partner), "status", c.status(p))
	c.cite(p.Sources...)
}

func (c *composer) listPairs() {
	kb := c.e.kb
	c.a.Title = c.m["list_pairs_title"]
	for i, p := range kb.Pairs() {
		c.pairLine(i+1, p)
	}
	for i := range kb.UnknownPairs() {
		c.say("list_pairs_unknown", "n", strconv.Itoa(len(kb.Pairs())+i+1))
	}
}

func (c *composer) pairsInRegion(province, area string) {
	kb := c.e.kb
	var pairs []knowledge.Pair
	region := ""
	if area != "" {
		pairs, region = kb.PairsInBaseArea(area), c.area(area)
	} else {
		pairs, region = kb.PairsInProvince(province), c.province(province)
	}
	c.a.Title = fill(c.m["region_pairs_title"], "region", region)
	if len(pairs) == 0 {
		c.say("region_pairs_none", "region", region)
		c.cite(kb.Document().DateSources...)
		return
	}
	c.say("region_pairs_intro", "region", region)
	for i, p := range pairs {
		c.pairLine(i+1, p)
	}
}

func (c *composer) regionOf(p knowledge.Place, province string) {
	kb := c.e.kb
	c.cite(kb.Document().DateSources...)
	if pair, ok := kb.PartnerOf(p.ID); ok {
		c.cite(pair.Sources...)
	}
	if province != "" && p.Role != knowledge.RoleOther {
		if p.Province == province {
			c.say("region_yes", "city", c.text(p.Name), "province", c.province(province))
		} else {
			c.say("region_no", "city", c.text(p.Name), "province", c.province(province), "actual", c.province(p.Province))
		}
		return
	}
	switch p.Role {
	case knowledge.RoleKey:
		area := c.m["region_of_area_unknown"]
		if p.BaseArea != "" {
			area = fill(c.m["region_of_area"], "area", c.area(p.BaseArea))
		}
		c.say("region_of_key", "city", c.text(p.Name), "province", c.province(p.Province), "area", area)
	case knowledge.RolePartner:
		c.say("region_of_partner", "city", c.text(p.Name), "province", c.province(p.Province))
	default:
		c.say("region_of_other", "city", c.text(p.Name), "province", c.province(p.Province))
	}
	if p.Formal != nil {
		c.say("kind_prefecture", "city", c.text(p.Name), "formal", c.text(*p.Formal))
	}
	c.notes(p)
}

func (c *composer) count(r resolution) {
	kb := c.e.kb
	switch {
	case len(r.places) > 0 && r.places[0].Role == knowledge.RolePartner:
		c.keyCitiesOf(r.places[0]) // says how many, and which
	case len(r.places) > 0 && r.places[0].Role == knowledge.RoleKey:
		pair, _ := kb.PartnerOf(r.places[0].ID)
		c.say("count_key", "key", c.text(r.places[0].Name), "partner", c.place(pair.Partner))
		c.cite(pair.Sources...)
	case len(r.places) > 0:
		c.notInPlan(r.places[0])
	case r.province != "":
		var cities []string
		for _, k := range kb.PlacesInProvince(r.province, knowledge.RoleKey) {
			cities = append(cities, c.text(k.Name))
			pair, _ := kb.PartnerOf(k.ID)
			c.cite(pair.Sources...)
		}
		switch len(cities) {
		case 0:
			c.say("not_in_plan_province_none", "province", c.province(r.province))
			c.cite(kb.Document().DateSources...)
		case 1:
			c.say("count_province_one", "province", c.province(r.province), "cities", cities[0])
		default:
			c.say("count_province", "province", c.province(r.province), "n", strconv.Itoa(len(cities)), "cities", c.join(cities))
		}
	case r.askTasks:
		c.say("count_tasks")
		c.cite(kb.Tasks()[0].Sources...)
	default:
		c.say("count_key_cities")
		c.cite(kb.Document().DateSources...)
	}
}

func mustPlace(kb *knowledge.Base, id string) knowledge.Place {
	p, _ := kb.Place(id)
	return p
}

func (c *composer) measures(title string, kinds ...knowledge.MeasureKind) {
	c.a.Title = c.m[title]
	for _, k := range kinds {
		for _, m := range c.e.kb.Measures(k) {
			c.a.Lines = append(c.a.Lines, c.text(m.Text))
			c.cite(m.Sources...)
		}
	}
}

func (c *composer) help() {
	c.say("help")
	for _, ex := range Examples(c.lang) {
		c.a.Lines = append(c.a.Lines, "- "+ex)
	}
}

func (c *composer) fallback(r resolution) {
	c.a.Fallback = true
	c.a.Why.Intent = IntentFallback
	switch {
	case len(r.places) > 0:
		c.say("fallback_place", "city", c.text(r.places[0].Name))
	case r.unknownName:
		c.say("unknown_place")
	default:
		c.say("fallback")
	}
	c.a.Suggestions = c.e.suggestions(r, c.lang)
	if len(c.a.Suggestions) > 0 {
		c.say("fallback_suggest")
		for _, s := range c.a.Suggestions {
			c.a.Lines = append(c.a.Lines, "- "+s.Text)
		}
	}
	c.say("fallback_help")
}

// finish assembles Text from the parts.
func (c *composer) finish() Answer {
	a := c.a
	a.Sources = c.sources
	if len(c.sources) > 0 {
		a.Source = c.sourceLine()
	}
	size := len(a.Title) + len(a.Source) + 2
	for _, l := range a.Lines {
		size += len(l) + 1
	}
	var b strings.Builder
	b.Grow(size)
	if a.Title != "" && len(a.Lines) > 1 {
		b.WriteString(a.Title)
		b.WriteByte('\n')
	}
	for i, l := range a.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	if a.Source != "" {
		b.WriteByte('\n')
		b.WriteString(a.Source)
	}
	a.Text = b.String()
	return a
}

// sourceLine is "Sources: S4 (Zhejiang News client), S14, S16": the ids, with
// the first one named.
func (c *composer) sourceLine() string {
	ids := make([]string, len(c.sources))
	copy(ids, c.sources)
	if s, ok := c.e.kb.Source(ids[0]); ok {
		// A lone source is given whole; of several, the first is named.
		name := strings.TrimSuffix(s.Text, ".")
		if i := strings.IndexAny(name, ",("); i > 0 && len(ids) > 1 {
			name = name[:i]
		}
		ids[0] += " (" + strings.TrimSpace(name) + ")"
	}
	key := "source_many"
	if len(ids) == 1 {
		key = "source_one"
	}
	sep := ", "
	if c.lang == Chinese {
		sep = "、"
	}
	return fill(c.m[key], "sources", strings.Join(ids, sep))
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
