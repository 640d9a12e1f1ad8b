package bot

// typoIndex finds the words of a known vocabulary within a small edit
// distance of a misspelt token (insertions, deletions, substitutions and
// swaps of neighbours), in a few map look-ups: each word is indexed under
// itself and every string made by deleting one (or, for long words, two) of
// its letters; a token's own deletions meet them there (the symmetric-delete
// method), and optimal string alignment distance confirms each candidate.
type typoIndex struct {
	deletes map[string][]int // deletion variant -> word numbers
	words   []string
}

// maxTypos is how many edits a token of n letters may carry: none below four
// letters (too many short words are one edit apart), one up to seven, two from eight.
func maxTypos(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

func newTypoIndex(words []string) *typoIndex {
	ix := &typoIndex{deletes: map[string][]int{}, words: words}
	for i, w := range words {
		ix.add(w, i)
		for _, d1 := range deletions(w) {
			ix.add(d1, i)
			if maxTypos(len(w)) >= 2 {
				for _, d2 := range deletions(d1) {
					ix.add(d2, i)
				}
			}
		}
	}
	return ix
}

func (ix *typoIndex) add(key string, word int) {
	list := ix.deletes[key]
	for _, w := range list {
		if w == word {
			return
		}
	}
	ix.deletes[key] = append(list, word)
}

func deletions(w string) []string {
	if len(w) <= 1 {
		return nil
	}
	out := make([]string, 0, len(w))
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

// closest returns the words nearest to tok within its typo allowance, and
// their distance; several words come back only when they tie. Tokens are
// ASCII (pinyin and English); anything else matches nothing.
func (ix *typoIndex) closest(tok string, allow int) (best []int, dist int) {
	if allow <= 0 || len(tok) > 32 {
		return nil, 0
	}
	dist = allow + 1
	var buf [32]byte
	consider := func(key string) {
		for _, w := range ix.deletes[key] {
			d := osa(tok, ix.words[w], allow)
			switch {
			case d < dist:
				dist, best = d, append(best[:0], w)
			case d == dist && !containsInt(best, w):
				best = append(best, w)
			}
		}
	}
	consider(tok)
	for i := range len(tok) {
		n := copy(buf[:], tok[:i])
		n += copy(buf[n:], tok[i+1:])
		consider(string(buf[:n]))
		if allow >= 2 {
			for j := range n {
				var buf2 [32]byte
				m := copy(buf2[:], buf[:j])
				m += copy(buf2[m:], buf[j+1:n])
				consider(string(buf2[:m]))
			}
		}
	}
	if dist > allow {
		return nil, 0
	}
	return best, dist
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// osa is the optimal string alignment distance between a and b, or limit+1
// once it is certain to exceed limit.
func osa(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	if len(a) > 32 || len(b) > 32 {
		return limit + 1
	}
	var rows [3][33]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
