package bot

import (
	"strconv"
	"strings"
	"time"

	"github.com/planbot/planbot/knowledge"
)

// Confidence the best intent needs, and its lead over the runner-up, before
// the engine answers; below them it says it does not know.
const (
	minConfidence = 0.38
	minMargin     = 0.02
)

// resolution is what the engine decided to answer.
type resolution struct {
	intent      Intent
	confidence  float64
	runnerUp    scored
	places      []knowledge.Place
	province    string
	area        string
	task        int
	fromContext bool
	unknownName bool     // a pairing question about a name the plan does not know
	unknownText []string // its unknown words, for "did you mean"
	askTasks    bool     // "how many tasks"
	yesNo       bool     // a yes/no question, not a choice between cities
	readAs      []readAs // names found by typo tolerance, said in the answer
	entities    []string
}

// readAs is a misspelt name and the place it was taken for.
type readAs struct {
	typed string
	place knowledge.Place
}

// remember is what the conversation keeps of this turn.
func (r resolution) remember(kb *knowledge.Base, now time.Time) turn {
	t := turn{intent: r.intent, province: r.province, area: r.area, task: r.task, at: now}
	for _, p := range r.places {
		t.places = append(t.places, p.ID)
	}
	if r.intent == IntentPartnerOf {
		if pair, ok := kb.PartnerOf(r.places[0].ID); ok {
			t.answered = []string{pair.Partner}
		}
	}
	return t
}

// resolve decides what to answer: the intent the phrasing scored, checked
// for confidence, completed from the conversation's last turn, and made
// specific by what the question names.
func (e *Engine) resolve(qa *analysis, f *featureSink, ranked []scored, prev turn, hasPrev bool) resolution {
	r := e.named(qa)
	best := scored{intent: IntentFallback}
	if len(ranked) > 0 {
		best = ranked[0]
	}
	// The runner-up that matters is the best phrasing that would give a
	// different answer: "what about task 3" reads as a follow-up and as a task
	// question, and both answer task 3.
	for _, s := range ranked[min(1, len(ranked)):] {
		if answerOf(s.intent, qa) != answerOf(best.intent, qa) {
			r.runnerUp = s
			break
		}
	}
	r.confidence = best.score
	r.askTasks = strings.Contains(qa.text, "task") || strings.Contains(qa.text, "任务")
	// "Is Changzhi paired with Beijing or Tianjin?", "是天津还是北京": a
	// choice, answered with the pairing, not with "yes".
	r.yesNo = len(r.places) < 3 && !strings.Contains(qa.text, "还是")
	// A question mostly of words no phrasing uses is not understood, however
	// well its one known word matches ("Robert'); DROP TABLE Students;--").
	understood := f.unknown < 2*len(f.ids)
	confident := understood && best.score >= minConfidence && best.score-r.runnerUp.score >= minMargin
	hasEntity := len(qa.entities) > 0 || qa.ordinal > 0

	aboutTasks := hasPrev && (prev.intent == IntentTasks || prev.intent == IntentTaskDetail)
	switch {
	case qa.ordinal > 0 && r.task == 0 && aboutTasks && len(r.places) == 0:
		// "tell me more about the third one" after the list of tasks
		r.task = min(qa.ordinal, len(e.kb.Tasks()))
		r.intent = IntentTaskDetail
		r.fromContext = true
		return r
	case best.intent == intentOffTopic && confident:
		r.intent = IntentFallback
		return r
	case best.intent == intentFollowup && (confident || hasEntity),
		!confident && hasPrev && hasEntity && onlyNames(qa):
		r.intent = e.followup(&r, qa, prev, hasPrev)
		r.fromContext = hasPrev
	case e.asksPairing(&r, f, best, confident, understood):
		// "Linyi, Shandong: who is its counterpart?": a named city and a
		// pairing word ask for the pairing, however the rest scored.
		r.intent = intentPairing
	case hasPrev && prev.intent == IntentPartnerOf && len(r.places) == 0 && qa.pronoun && asksOther(qa):
		// "Who is Baise's partner?" "What other key cities does it look after?"
		r.intent = intentPairing
	case !confident && understood:
		if intent, ok := e.rescuedByCue(f, ranked); ok {
			r.intent = intent
			break
		}
		r.intent = IntentFallback
		return r
	case !confident:
		r.intent = IntentFallback
		return r
	case best.intent == IntentListPairs && e.namesUnknownCity(qa):
		// "who is zhangjj paired with": a city misspelt past recognition, not
		// a request for every pair.
		r.intent = intentPairing
	default:
		r.intent = best.intent
	}
	e.fillFromContext(&r, qa, prev, hasPrev)
	r.intent = e.specialise(&r, qa)
	return r
}

// named collects what the question names: its places (each once), and its
// first province, base area and task.
func (e *Engine) named(qa *analysis) resolution {
	var r resolution
	for _, en := range qa.entities {
		switch en.kind {
		case entityPlace:
			if p, ok := e.kb.Place(en.id); ok && !hasPlace(r.places, p.ID) {
				r.places = append(r.places, p)
				r.entities = append(r.entities, "place:"+p.ID)
				if en.typo {
					r.readAs = append(r.readAs, readAs{typed: qa.text[en.start:en.end], place: p})
				}
			}
		case entityProvince:
			if r.province == "" {
				r.province = en.id
				r.entities = append(r.entities, "province:"+en.id)
			}
		case entityArea:
			if r.area == "" {
				r.area = en.id
				r.entities = append(r.entities, "base_area:"+en.id)
			}
		case entityTask:
			if r.task == 0 {
				r.task = min(en.task, len(e.kb.Tasks())) // "the final task"
				r.entities = append(r.entities, "task:"+strconv.Itoa(en.task))
			}
		}
	}
	return r
}

// asksPairing reports whether a question that names a city and uses a
// pairing word asks for the pairing, whatever else it says ("hey, what's
// Longyan's partner again?", "what role does Wuxi play, which city does it
// partner?"): unless it asks where or how many, is off-topic, or its best
// phrasing is one whose answer already covers the pairing or takes pairs as
// its subject (why these pairs, the pairs of a region, a task).
func (e *Engine) asksPairing(r *resolution, f *featureSink, best scored, confident, understood bool) bool {
	if len(r.places) == 0 || !understood || !e.scorer.cued(f, "pair") {
		return false
	}
	if e.scorer.cued(f, "region") || e.scorer.cued(f, "count") {
		return false
	}
	switch best.intent {
	case intentOffTopic, intentFollowup, intentPairing, IntentCount, IntentSelection, IntentPairsInRegion,
		IntentSameProvince, IntentMultiPartners, IntentUnknownPair, IntentTaskDetail:
		return !confident // these win when sure
	}
	return true
}

// rescuedByCue returns the intent a cue word asks for when the phrasing
// scored too low to be sure: "how many key cities are covered altogether?"
// says "how many" whatever else it says. The cue's intent must still be among
// the best few phrasings, so a stray word does not decide alone.
func (e *Engine) rescuedByCue(f *featureSink, ranked []scored) (Intent, bool) {
	for _, cue := range []struct {
		name   string
		intent Intent
	}{{"count", IntentCount}} {
		if !e.scorer.cued(f, cue.name) {
			continue
		}
		for _, s := range ranked[:min(3, len(ranked))] {
			if s.intent == cue.intent && s.score >= 0.25 {
				return cue.intent, true
			}
		}
	}
	return "", false
}

// answerOf is what a phrasing's intent would answer, given what the question
// names, without context: the answers that compete for a question.
func answerOf(i Intent, qa *analysis) Intent {
	var place, region, task bool
	for _, e := range qa.entities {
		place = place || e.kind == entityPlace
		region = region || e.kind == entityProvince || e.kind == entityArea
		task = task || e.kind == entityTask
	}
	switch i {
	case intentPairing, intentFollowup:
		switch {
		case task && i == intentFollowup:
			return IntentTaskDetail
		case place:
			return intentPairing
		case region:
			return IntentPairsInRegion
		}
	case IntentPublishDate:
		return IntentIssueDate // one answer gives both dates
	case IntentRegionOf:
		if !place && region {
			return IntentPairsInRegion
		}
	case IntentTasks:
		if task {
			return IntentTaskDetail
		}
	}
	return i
}

// onlyNames reports whether a question is nothing but names and filler,
// like "Chenzhou?" or "and Foshan".
func onlyNames(qa *analysis) bool {
	for i, t := range qa.tokens {
		if !qa.used[i] && !t.han && !fillerEN[t.text] {
			return false
		}
	}
	return !qa.han || len(qa.entities) > 0
}

var fillerEN = map[string]bool{"and": true, "what": true, "about": true, "how": true, "then": true, "also": true, "or": true, "the": true, "for": true, "ok": true, "so": true}

// followup picks the intent of a question that leans on the previous turn.
func (e *Engine) followup(r *resolution, qa *analysis, prev turn, hasPrev bool) Intent {
	switch {
	case r.task > 0 || (qa.ordinal > 0 && hasPrev && (prev.intent == IntentTasks || prev.intent == IntentTaskDetail)):
		if r.task == 0 {
			r.task = qa.ordinal
		}
		return IntentTaskDetail
	case len(r.places) > 0:
		if hasPrev {
			switch prev.intent {
			case IntentRegionOf, IntentCount:
				return prev.intent
			case IntentPairCheck:
				// "Are Meizhou and Guangzhou paired?" "And with Shenzhen?":
				// the earlier city of the other kind, checked with the new one.
				if len(r.places) == 1 && saysWith(qa) {
					if p, ok := e.counterpartIn(prev.places, r.places[0]); ok {
						r.places = append([]knowledge.Place{p}, r.places...)
					}
				}
			}
		}
		return intentPairing
	case r.province != "" || r.area != "":
		if hasPrev && prev.intent == IntentRegionOf && len(prev.places) > 0 {
			return IntentRegionOf
		}
		return IntentPairsInRegion
	}
	return IntentFallback
}

// saysWith reports whether a follow-up asks "with" someone: "and with
// Shenzhen?", "那和深圳呢".
func saysWith(qa *analysis) bool {
	for _, t := range qa.tokens {
		if t.text == "with" || t.han && (strings.HasPrefix(t.text, "和") || strings.HasPrefix(t.text, "跟") ||
			strings.HasPrefix(t.text, "与") || strings.HasPrefix(t.text, "那和") || strings.HasPrefix(t.text, "那跟")) {
			return true
		}
	}
	return false
}

// counterpartIn picks, from the places of the last turn, one of the other
// kind than p (a key city for a partner, a partner for a key city).
func (e *Engine) counterpartIn(ids []string, p knowledge.Place) (knowledge.Place, bool) {
	for _, id := range ids {
		if q, ok := e.kb.Place(id); ok && q.ID != p.ID && q.Role != p.Role {
			return q, true
		}
	}
	return knowledge.Place{}, false
}

// fillFromContext supplies what a question leaves out: "is it in Hunan?",
// "who is it paired with?", "tell me more about that task".
func (e *Engine) fillFromContext(r *resolution, qa *analysis, prev turn, hasPrev bool) {
	if !hasPrev {
		return
	}
	needsPlace := r.intent == intentPairing || r.intent == IntentRegionOf
	if needsPlace && len(r.places) == 0 && !hasUnknownWords(qa, e.analyzer.words) {
		ids := prev.places
		if prev.intent == IntentPartnerOf && asksOther(qa) {
			// "Who is Lu'an paired with?" "Does that city help any other key
			// city?": the city meant now is the partner just named.
			ids = prev.answered
		}
		for _, id := range ids {
			if p, ok := e.kb.Place(id); ok {
				r.places = append(r.places, p)
				r.entities = append(r.entities, "place:"+p.ID)
				r.fromContext = true
			}
		}
	}
	if r.intent == IntentPairsInRegion && r.province == "" && r.area == "" {
		r.province, r.area = prev.province, prev.area
		r.fromContext = r.province != "" || r.area != ""
	}
	if r.intent == IntentTaskDetail && r.task == 0 {
		if qa.ordinal > 0 {
			r.task = qa.ordinal
		} else if prev.task > 0 {
			r.task = prev.task
			r.fromContext = true
		}
	}
}

// asksOther reports whether a follow-up asks about some other city than the
// one asked before: "any other key city", "还对口哪个", "另外".
func asksOther(qa *analysis) bool {
	for _, t := range qa.tokens {
		if t.text == "other" || t.text == "another" || t.text == "else" ||
			t.han && (strings.Contains(t.text, "还") || strings.Contains(t.text, "另外") || strings.Contains(t.text, "其他")) {
			return true
		}
	}
	return false
}

// hasUnknownWords reports whether the question has a Latin word that is not
// a name, not an example word and not a common word: likely a name the plan
// does not know ("who is Xyzzy paired with?"), which context must not replace.
func hasUnknownWords(qa *analysis, common map[string]bool) bool {
	for _, w := range unknownTokens(qa, common) {
		if len(w) > 3 {
			return true
		}
	}
	return false
}

// specialise turns the phrasing's intent into the answer's, by what the
// question names.
func (e *Engine) specialise(r *resolution, qa *analysis) Intent {
	switch r.intent {
	case intentPairing:
		switch {
		case len(r.places) >= 2 && allOutsidePlan(r.places):
			return IntentNotInPlan // "Taizhou": two namesakes, neither in the plan
		case len(r.places) >= 2:
			return IntentPairCheck
		case len(r.places) == 1:
			switch r.places[0].Role {
			case knowledge.RoleKey:
				return IntentPartnerOf
			case knowledge.RolePartner:
				return IntentKeyCitiesOf
			default:
				return IntentNotInPlan
			}
		case r.province != "" || r.area != "":
			return IntentPairsInRegion
		}
		r.unknownName = true
		r.unknownText = unknownTokens(qa, e.analyzer.words)
		return IntentFallback
	case IntentRegionOf:
		if len(r.places) == 0 {
			if (r.province != "" || r.area != "") && !qa.pronoun {
				return IntentPairsInRegion
			}
			return IntentFallback
		}
	case IntentListPairs, IntentSources, IntentMultiPartners:
		if len(r.places) > 0 {
			// "which cities is Shenzhen paired with", "your source for the
			// Shanwei pairing": the pairing answer, which cites its sources.
			return e.specialise(&resolution{intent: intentPairing, places: r.places}, qa)
		}
	case IntentPairsInRegion:
		if r.province == "" && r.area == "" {
			if len(r.places) > 0 {
				return e.specialise(&resolution{intent: intentPairing, places: r.places}, qa)
			}
			return IntentListPairs
		}
	case IntentTaskDetail:
		if r.task == 0 {
			return IntentTasks
		}
	case IntentTasks:
		if r.task > 0 {
			return IntentTaskDetail
		}
	case IntentSelection:
		// "Why is X paired with Y?" is answered with how pairs were chosen.
	case intentFollowup:
		return IntentFallback
	}
	return r.intent
}

// namesUnknownCity reports whether a word of the question looks like the
// name of a city the engine does not know: a misspelt key city ("zhangjj"),
// or a long word that is neither a phrasing word nor a common one
// ("Jinggangshan").
func (e *Engine) namesUnknownCity(qa *analysis) bool {
	for _, w := range unknownTokens(qa, e.analyzer.words) {
		if _, known := e.scorer.vocab[e.scorer.word(w)]; !known && (len(w) >= 6 || len(w) >= 4 && len(e.lookalikes(w)) > 0) {
			return true
		}
	}
	return false
}

// unknownTokens returns the question's Latin words of three letters or more
// that are neither names, numbers nor known words.
func unknownTokens(qa *analysis, common map[string]bool) []string {
	var out []string
	for i, t := range qa.tokens {
		if !qa.used[i] && !t.han && !common[t.text] && len(t.text) >= 3 && !allDigits(t.text) {
			out = append(out, t.text)
		}
	}
	return out
}

func allOutsidePlan(ps []knowledge.Place) bool {
	for _, p := range ps {
		if p.Role != knowledge.RoleOther {
			return false
		}
	}
	return true
}

func hasPlace(ps []knowledge.Place, id string) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}
