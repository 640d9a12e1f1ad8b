package bot

// typoIndex finds the words of a known vocabulary within a small edit
// distance of a misspelt token (insertions, deletions, substitutions and
// swaps of neighbours). Candidates come from three buckets, words sharing the
// token's first, second or last letter, so a typo anywhere but in two of
// those places is found; optimal string alignment distance confirms each.
// Building it is cheap, which keeps start-up fast.
type typoIndex struct {
	words                     []string
	byFirst, bySecond, byLast [128][]int32
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
	ix := &typoIndex{words: words}
	for i, w := range words {
		if len(w) < 2 || !isASCII(w) {
			continue
		}
		ix.byFirst[w[0]] = append(ix.byFirst[w[0]], int32(i))
		ix.bySecond[w[1]] = append(ix.bySecond[w[1]], int32(i))
		ix.byLast[w[len(w)-1]] = append(ix.byLast[w[len(w)-1]], int32(i))
	}
	return ix
}

// closest returns the words nearest to tok within allow edits, and their
// distance; several words come back only when they tie. Tokens are ASCII
// (pinyin and English); anything else matches nothing.
func (ix *typoIndex) closest(tok string, allow int) (best []int, dist int) {
	if allow <= 0 || len(tok) < 2 || len(tok) > 32 || !isASCII(tok) {
		return nil, 0
	}
	dist = allow + 1
	for _, bucket := range [3][]int32{ix.byFirst[tok[0]], ix.bySecond[tok[1]], ix.byLast[tok[len(tok)-1]]} {
		for _, w := range bucket {
			d := osa(tok, ix.words[w], allow)
			switch {
			case d < dist:
				dist, best = d, append(best[:0], int(w))
			case d == dist && !containsInt(best, int(w)):
				best = append(best, int(w))
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
