package config

import (
	"fmt"
	"strings"
)

// didYouMean returns " (did you mean X?)" when name is a known alias in
// hints (names keepalived or ucarp use) or close to one of candidates, and ""
// otherwise.
func didYouMean(name string, candidates []string, hints map[string]string) string {
	if h, ok := hints[strings.ToLower(name)]; ok {
		return fmt.Sprintf(" (did you mean %s?)", h)
	}
	if c := closest(name, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %s?)", c)
	}
	return ""
}

// closest returns the candidate nearest to name by edit distance, ignoring
// case, if it is near enough to be a slip: at most one edit for short names,
// two for longer ones. Ties go to the earlier candidate.
func closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	if len(name) > 64 {
		return ""
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		limit := 2
		if len(c) <= 4 {
			limit = 1
		}
		if d := editDistance(name, c); d <= limit && d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment) between a and b, counted in bytes: insertions, deletions,
// substitutions and swaps of neighbours each cost 1.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
