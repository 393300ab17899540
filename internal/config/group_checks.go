package config

// checkInfo keeps where a check's settings are, for Load's second pass.
type checkInfo struct {
	// caFile is the position of ca_file, if set.
	caFile position
}

// checkDecoder decodes one check of a group.
type checkDecoder struct {
	*groupDecoder
	f      fields
	path   string
	c      Check
	kindOK bool
}

// get returns the value of key and its path, if the check sets it.
func (cd *checkDecoder) get(key string) (value, string, bool) {
	v, ok := cd.f.vals[key]
	return v, joinPath(cd.path, key), ok
}

// checks decodes the group's health checks.
func (gd *groupDecoder) checks() {
	v, p, ok := gd.get("checks")
	if !ok {
		return
	}
	items, ok := gd.nonEmptyList(v, p, "leave checks out for none")
	if !ok {
		return
	}
	type named struct{ index, line int }
	names := map[string]named{}
	for i, item := range items {
		cd := &checkDecoder{groupDecoder: gd, path: indexPath(p, i)}
		nameLine, ok := cd.decode(item)
		if !ok {
			continue
		}
		if prev, dup := names[cd.c.Name]; dup {
			gd.errorf(nameLine, joinPath(cd.path, "name"), "%q is already the name of %s (line %d)",
				cd.c.Name, indexPath(p, prev.index), prev.line)
			continue
		}
		names[cd.c.Name] = named{i, nameLine}
		gd.g.Checks = append(gd.g.Checks, cd.c)
		gd.info.checks = append(gd.info.checks, cd.info())
	}
}

// decode decodes one check, reporting its problems. It returns the line of
// its name, and whether it is valid.
func (cd *checkDecoder) decode(item value) (int, bool) {
	f, ok := cd.mapping(item, cd.path, &checkSection)
	if !ok {
		return 0, false
	}
	cd.f = f
	before := len(cd.errs)
	nameLine := cd.name()
	cd.kind()
	if cd.kindOK {
		cd.applicable()
		cd.target()
		cd.address()
		cd.http()
		cd.exec()
	}
	cd.schedule()
	cd.effect()
	return nameLine, len(cd.errs) == before
}

// info returns the positions Load needs.
func (cd *checkDecoder) info() checkInfo {
	var ci checkInfo
	if v, p, ok := cd.get("ca_file"); ok {
		ci.caFile = position{path: p, line: v.line}
	}
	return ci
}

func (cd *checkDecoder) name() int {
	v, p, ok := cd.get("name")
	if !ok {
		cd.errorf(cd.f.line, p, "is required (it names the check in logs, events and metrics)")
		return 0
	}
	s, ok := cd.str(v, p)
	if !ok {
		return 0
	}
	if !groupName.MatchString(s) {
		cd.errorf(v.line, p, "%q must be 1-63 of a-z, 0-9, '_' and '-', starting with a letter or digit", s)
		return 0
	}
	cd.c.Name = s
	return v.line
}

func (cd *checkDecoder) kind() {
	v, p, ok := cd.get("kind")
	if !ok {
		cd.errorf(cd.f.line, p, "is required: %s", orList(checkKindNames[1:]))
		return
	}
	i, ok := cd.enum(v, p, "check kind", checkKindNames)
	cd.c.Kind, cd.kindOK = CheckKind(i), ok
}

// checkKeyKinds are the kinds each kind-specific key applies to.
var checkKeyKinds = map[string][]CheckKind{
	"target":               {CheckPing, CheckARP},
	"interface":            {CheckPing, CheckARP},
	"address":              {CheckTCP},
	"url":                  {CheckHTTP, CheckHTTPS},
	"method":               {CheckHTTP, CheckHTTPS},
	"status":               {CheckHTTP, CheckHTTPS},
	"body":                 {CheckHTTP, CheckHTTPS},
	"ca_file":              {CheckHTTPS},
	"insecure_skip_verify": {CheckHTTPS},
	"argv":                 {CheckExec},
}

// applicable reports the keys that do not apply to the check's kind, and
// removes them so that nothing else looks at them.
func (cd *checkDecoder) applicable() {
	for _, key := range checkSection.keys {
		kinds, specific := checkKeyKinds[key]
		v, p, ok := cd.get(key)
		if !specific || !ok || containsKind(kinds, cd.c.Kind) {
			continue
		}
		names := make([]string, len(kinds))
		for i, k := range kinds {
			names[i] = k.String()
		}
		cd.errorf(v.line, p, "applies to %s checks only, not %s", orList(names), cd.c.Kind)
		delete(cd.f.vals, key)
	}
}

func containsKind(kinds []CheckKind, k CheckKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// required reports key missing for the check's kind, with what it is for.
func (cd *checkDecoder) required(key, what string) {
	cd.errorf(cd.f.line, joinPath(cd.path, key), "is required for %s checks (%s)", cd.c.Kind, what)
}

// schedule decodes interval, timeout, rise and fall.
func (cd *checkDecoder) schedule() {
	c := &cd.c
	c.Interval = DefaultCheckInterval
	intervalOK := true
	if v, p, ok := cd.get("interval"); ok {
		d, ok := cd.duration(v, p)
		switch {
		case !ok:
			intervalOK = false
		case d < MinCheckInterval:
			cd.errorf(v.line, p, "%s is under the %s minimum", v.n.Value, shortDuration(MinCheckInterval))
			intervalOK = false
		default:
			c.Interval = d
		}
	}
	c.Timeout = min(DefaultCheckTimeout, c.Interval/2)
	if v, p, ok := cd.get("timeout"); ok {
		d, ok := cd.duration(v, p)
		switch {
		case !ok:
		case d == 0:
			cd.errorf(v.line, p, "must be positive")
		case intervalOK && d >= c.Interval:
			cd.errorf(v.line, p, "%s is not shorter than the interval %s: probes of one check must not overlap", v.n.Value, shortDuration(c.Interval))
		default:
			c.Timeout = d
		}
	}
	c.Rise, c.Fall = DefaultCheckRise, DefaultCheckFall
	if v, p, ok := cd.get("rise"); ok {
		c.Rise, _ = cd.integer(v, p, 1, 255)
	}
	if v, p, ok := cd.get("fall"); ok {
		c.Fall, _ = cd.integer(v, p, 1, 255)
	}
}

// effect decodes fault and weight: exactly one, fault by default.
func (cd *checkDecoder) effect() {
	c := &cd.c
	fv, fp, faultSet := cd.get("fault")
	wv, wp, weightSet := cd.get("weight")
	fault, faultOK := true, true
	if faultSet {
		fault, faultOK = cd.boolean(fv, fp)
	}
	if weightSet {
		w, ok := cd.integer(wv, wp, -254, 254)
		switch {
		case !ok:
			return
		case w == 0:
			cd.errorf(wv.line, wp, "0 changes nothing: write a weight from -254 to 254 other than 0, or fault: true")
			return
		case faultSet && faultOK && fault:
			cd.errorf(fv.line, fp, "is true and weight is set: a check either forces fault or moves the priority")
			return
		}
		c.Weight = w
		return
	}
	switch {
	case !faultOK:
	case !fault:
		cd.errorf(fv.line, fp, "is false and no weight is set: give the check a weight, or leave fault at true")
	default:
		c.Fault = true
	}
}
