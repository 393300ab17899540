package control

import (
	_ "embed"
	"html/template"
	"slices"
	"strings"
)

// stateColours gives every group state its colour on the status page. The
// page always writes the state's name next to it, so colour is never the
// only cue. docs/status-page.md lists the same colours; the browser test
// looks for them in a screenshot.
var stateColours = map[string]string{
	"master":      "#1a7f37", // green: holds the VIPs
	"backup":      "#0969da", // blue: ready to take over
	"fault":       "#cf222e", // red: cannot serve (link down, failing check)
	"maintenance": "#9a6700", // amber: held down by an operator
	"init":        "#8250df", // purple: starting
	"stopped":     "#57606a", // grey: shut down
	"not-running": "#953800", // brown: the group's loop is not running
}

// checkColours gives every check state its colour.
var checkColours = map[string]string{
	"healthy": "#1a7f37",
	"failing": "#cf222e",
	"unknown": "#57606a", // no result yet
}

// unknownColour is for a state the page does not know, so that a newer
// daemon's state still renders (as its name on grey).
const unknownColour = "#424a53"

// stateClass is the CSS class of a group state: only known states get
// their own class, so nothing from the network reaches a class name.
func stateClass(state string) string {
	if _, ok := stateColours[state]; ok {
		return "s-" + state
	}
	return "s-unknown"
}

// checkClass is the CSS class of a check state.
func checkClass(state string) string {
	if _, ok := checkColours[state]; ok {
		return "c-" + state
	}
	return "c-other"
}

//go:embed templates/status.css
var baseCSS string

// pageCSS is the page's style sheet: the fixed rules and one rule per state
// colour, built from the constants above (never from status data), which
// is why it may be trusted as template.CSS.
var pageCSS = func() template.CSS {
	var b strings.Builder
	b.WriteString(baseCSS)
	rule := func(prefix string, colours map[string]string) {
		names := make([]string, 0, len(colours))
		for n := range colours {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			b.WriteString("." + prefix + n + "{--c:" + colours[n] + "}\n")
		}
	}
	rule("s-", stateColours)
	rule("c-", checkColours)
	b.WriteString(".s-unknown,.c-other{--c:" + unknownColour + "}\n")
	return template.CSS(b.String())
}()
