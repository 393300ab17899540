package ucarpcli

// differences are the notes for options vipd honours differently.
func (o *Options) differences() []Note {
	var ns []Note
	if o.UpScript == "" {
		ns = append(ns, Note{"-u", "Warning: no script called when going up"})
	}
	if o.DownScript == "" {
		ns = append(ns, Note{"-d", "Warning: no script called when going down"})
	}
	if o.Facility != defaultFacility && !o.Daemonize {
		ns = append(ns, Note{"-f", "vipd logs to standard error when it runs in the foreground (the journal, under systemd); the syslog facility is used with -B"})
	}
	if o.NoMcast {
		ns = append(ns, Note{"-M", "adverts go by unicast to the --vipd-peer addresses instead of by broadcast"})
	}
	return ns
}

// mergeNote adds n, joining it to a note about the same option.
func mergeNote(ns []Note, n Note) []Note {
	for i := range ns {
		if ns[i].Option == n.Option {
			ns[i].Text += "; " + n.Text
			return ns
		}
	}
	return append(ns, n)
}
