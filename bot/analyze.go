package bot

import (
	"sort"
	"strings"

	"github.com/planbot/planbot/knowledge"
)

// analysis is a question after normalisation and entity finding.
type analysis struct {
	text     string // normalised
	han      bool   // the question has Chinese characters
	latin    bool   // the question has Latin letters outside names
	tokens   []token
	used     []bool // tokens covered by an entity
	entities []entity
	ordinal  int  // "the third", "第三项" without the word task: a weak task reference
	pronoun  bool // "is it in Hunan?": the place is the one talked about before
}

// analyzer normalises questions and finds what they name.
type analyzer struct {
	finder   *finder
	words    map[string]bool
	variants *strings.Replacer // characters typed for those of place names (洲 for 州)
}

func newAnalyzer(kb *knowledge.Base, variants []string) *analyzer {
	words := loadWords()
	return &analyzer{finder: newFinder(kb, words), words: words, variants: strings.NewReplacer(variants...)}
}

func (an *analyzer) analyze(raw string) *analysis {
	q := &analysis{text: normalize(raw)}
	if !isASCII(q.text) {
		q.text = an.variants.Replace(q.text)
	}
	q.tokens = tokenize(q.text, make([]token, 0, 16))
	q.used = make([]bool, len(q.tokens))
	q.entities = an.finder.find(q.tokens, q.used, make([]entity, 0, 4))
	q.entities = an.finder.refine(q.tokens, q.entities)
	an.findOrdinals(q)
	sort.Slice(q.entities, func(i, j int) bool { return q.entities[i].start < q.entities[j].start })
	for i, t := range q.tokens {
		if t.han {
			q.han = true
			q.pronoun = q.pronoun || strings.Contains(t.text, "它") || strings.Contains(t.text, "该市") || strings.Contains(t.text, "那里") || strings.Contains(t.text, "这个城市")
		} else if !q.used[i] && !allDigits(t.text) {
			q.latin = true
			q.pronoun = q.pronoun || pronounsEN[t.text]
		}
	}
	return q
}

// lastTask stands for "the last one" until the engine knows how many tasks there are.
const lastTask = 99

var pronounsEN = map[string]bool{"it": true, "its": true, "there": true, "they": true, "them": true, "their": true}

// ordinalsEN name a task anywhere near the word task ("the third task");
// cardinalsEN only right after it ("task 3"), since "the five tasks" is all of them.
var (
	ordinalsEN = map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
		"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": lastTask, "final": lastTask,
	}
	cardinalsEN = map[string]int{
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
		"1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
	}
)

var numeralsZH = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5}

// findOrdinals finds task numbers: "task 3", "the third task", "第三项任务",
// "任务三". A number beside the word task is a task; "the third" alone is
// kept as a weak reference that only a conversation about tasks uses.
func (an *analyzer) findOrdinals(q *analysis) {
	for i, t := range q.tokens {
		if t.han {
			an.findOrdinalsZH(q, t)
			continue
		}
		if q.used[i] {
			continue
		}
		if n, ok := cardinalsEN[t.text]; ok {
			if i > 0 && isTaskWord(q.tokens[i-1].text) || i > 1 && isTaskWord(q.tokens[i-2].text) && q.tokens[i-1].text == "no" {
				q.entities = append(q.entities, entity{kind: entityTask, task: n, start: t.start, end: t.end})
				q.used[i] = true
			}
			continue
		}
		n, ok := ordinalsEN[t.text]
		if !ok {
			continue
		}
		nearTask := false
		for k := max(0, i-2); k <= min(len(q.tokens)-1, i+2); k++ {
			nearTask = nearTask || isTaskWord(q.tokens[k].text)
		}
		if nearTask {
			q.entities = append(q.entities, entity{kind: entityTask, task: n, start: t.start, end: t.end})
			q.used[i] = true
		} else {
			q.ordinal = n
		}
	}
}

func (an *analyzer) findOrdinalsZH(q *analysis, t token) {
	s := q.text[t.start:t.end]
	if strings.Contains(s, "最后一项") || strings.Contains(s, "最后一个任务") || strings.Contains(s, "最后那项") {
		q.ordinal = lastTask
	}
	rs := []rune(s)
	for i, r := range rs {
		n, ok := numeralsZH[r]
		if !ok || (i+1 < len(rs) && (numeralsZH[rs[i+1]] > 0 || rs[i+1] == '十' || rs[i+1] == '0')) {
			continue
		}
		prefixed := i > 0 && rs[i-1] == '第'
		afterTask := i >= 2 && string(rs[i-2:i]) == "任务"
		if !prefixed && !afterTask {
			continue
		}
		if afterTask || strings.Contains(string(rs[i:]), "任务") {
			start := t.start + len(string(rs[:i]))
			if prefixed {
				start -= len("第")
			}
			q.entities = append(q.entities, entity{kind: entityTask, task: n, start: start, end: t.start + len(string(rs[:i+1]))})
			continue
		}
		q.ordinal = n
	}
}

func isTaskWord(w string) bool { return w == "task" || w == "tasks" }
