package bot

import (
	"strconv"
	"strings"

	"github.com/sahilm/fuzzy"

	"github.com/planbot/planbot/knowledge"
)

// maxSuggestions is how many "did you mean" questions a fallback offers.
const maxSuggestions = 3

// suggestions proposes questions the engine can answer, closest first: about
// the places the question named, names that look like what was typed, the
// runner-up intent, then the most asked.
func (e *Engine) suggestions(r resolution, lang Locale) []Suggestion {
	var keys []string
	add := func(k string) {
		if k != "" && len(keys) < maxSuggestions && !containsString(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, p := range r.places {
		switch p.Role {
		case knowledge.RoleKey:
			add("partner_of:" + p.ID)
		case knowledge.RolePartner:
			add("key_cities_of:" + p.ID)
		default:
			add("region:" + p.Province)
		}
		add("region_of:" + p.ID)
	}
	for _, w := range r.unknownText {
		for _, id := range e.lookalikes(w) {
			add("partner_of:" + id)
		}
	}
	if r.province != "" {
		add("region:" + r.province)
	}
	if r.area != "" {
		add("region:" + r.area)
	}
	if r.task > 0 {
		add("task_detail:" + strconv.Itoa(r.task))
	}
	if r.runnerUp.score > 0.2 {
		add(suggestionFor(r.runnerUp.intent))
	}
	for _, k := range []string{"list_pairs", "tasks", "period"} {
		add(k)
	}
	out := make([]Suggestion, 0, len(keys))
	for _, k := range keys {
		if s, ok := e.parseSuggestion(k, lang); ok {
			out = append(out, s)
		}
	}
	return out
}

// suggestion returns the suggestion for key, if it names something known.
func (e *Engine) suggestion(key string, lang Locale) []Suggestion {
	if s, ok := e.parseSuggestion(key, lang); ok {
		return []Suggestion{s}
	}
	return nil
}

// suggestionFor maps an intent to the suggestion that asks for it.
func suggestionFor(i Intent) string {
	switch i {
	case IntentTasks, IntentTaskDetail:
		return "tasks"
	case IntentPeriod, IntentIssueDate, IntentPublishDate:
		return "period"
	case IntentIssuer, IntentDocNumber, IntentTitle, IntentOverview:
		return "issuer"
	case IntentMechanisms, IntentExchanges, IntentFinance, IntentDepartmentSupport,
		IntentImplementation, IntentEvaluation, IntentOtherCities:
		return "mechanisms"
	case IntentListPairs, IntentCount, IntentUnknownPair:
		return "list_pairs"
	}
	return ""
}

// lookalikes returns key cities whose names contain what was typed as a
// subsequence ("zhangjj" -> Zhangjiajie), best first.
func (e *Engine) lookalikes(typed string) []string {
	if len(typed) < 3 || len(typed) > 20 {
		return nil // fuzzy's scores are for short patterns
	}
	var out []string
	for _, m := range fuzzy.Find(typed, e.cityNames) {
		if id := e.cityIDs[m.Index]; !containsString(out, id) {
			out = append(out, id)
		}
		if len(out) == maxSuggestions {
			break
		}
	}
	return out
}

// keyCityNames lists the Latin aliases of the key cities, for lookalikes.
func keyCityNames(kb *knowledge.Base) (names, ids []string) {
	for _, p := range kb.Places() {
		if p.Role != knowledge.RoleKey {
			continue
		}
		for _, a := range p.Aliases {
			if k := knowledge.AliasKey(a); !hasHan(k) {
				names = append(names, k)
				ids = append(ids, p.ID)
			}
		}
	}
	return names, ids
}

// parseSuggestion turns a suggestion key back into its question.
func (e *Engine) parseSuggestion(key string, lang Locale) (Suggestion, bool) {
	m := e.msg[lang]
	name, arg, _ := strings.Cut(key, ":")
	placeName := func() (string, bool) {
		p, ok := e.kb.Place(arg)
		if !ok {
			return "", false
		}
		if lang == Chinese {
			return p.Name.ZH, true
		}
		return p.Name.EN, true
	}
	var text string
	switch name {
	case "partner_of", "key_cities_of", "region_of":
		city, ok := placeName()
		if !ok {
			return Suggestion{}, false
		}
		text = fill(m["q_"+name], "city", city)
	case "region":
		var region knowledge.Text
		if p, ok := e.kb.Province(arg); ok {
			region = p.Name
		} else if a, ok := e.kb.BaseArea(arg); ok {
			region = a.Name
		} else {
			return Suggestion{}, false
		}
		r := region.EN
		if lang == Chinese {
			r = region.ZH
		}
		text = fill(m["q_pairs_in_region"], "region", r)
	case "task_detail":
		n, err := strconv.Atoi(arg)
		if _, ok := e.kb.Task(n); err != nil || !ok {
			return Suggestion{}, false
		}
		text = fill(m["q_task_detail"], "n", arg)
	case "list_pairs", "tasks", "period", "issuer", "mechanisms":
		if arg != "" {
			return Suggestion{}, false
		}
		text = m["q_"+name]
	default:
		return Suggestion{}, false
	}
	return Suggestion{Text: text, Key: key}, true
}
