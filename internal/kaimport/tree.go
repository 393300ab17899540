package kaimport

// stmt is one keyword of keepalived.conf with its arguments and, for a
// block, the statements inside it.
type stmt struct {
	key      string
	args     []string
	pos      Pos
	hasBlock bool
	block    []*stmt
}

// arg returns the i-th argument, or "".
func (s *stmt) arg(i int) string {
	if i < len(s.args) {
		return s.args[i]
	}
	return ""
}

// tree builds statements from tokens. A statement is a word and the words
// after it on its line, up to a brace; a '{' on the same line, or alone at
// the start of the next, opens its block; '}' closes the innermost block
// wherever it stands, so "track_script { chk }" is one block.
type tree struct {
	toks []token
	next int
}

func (t *tree) parse() ([]*stmt, error) {
	stmts, err := t.block(0, Pos{})
	return stmts, err
}

func (t *tree) block(depth int, open Pos) ([]*stmt, error) {
	var stmts []*stmt
	for t.next < len(t.toks) {
		tok := t.toks[t.next]
		t.next++
		switch tok.brace {
		case '}':
			if depth == 0 {
				return nil, &SyntaxError{Pos: tok.pos, Msg: "'}' closes no block"}
			}
			return stmts, nil
		case '{':
			if len(stmts) == 0 || stmts[len(stmts)-1].hasBlock {
				return nil, &SyntaxError{Pos: tok.pos, Msg: "'{' opens a block that belongs to no keyword"}
			}
			if err := t.openBlock(stmts[len(stmts)-1], depth); err != nil {
				return nil, err
			}
			continue
		}
		s := &stmt{key: tok.text, pos: tok.pos}
		for t.next < len(t.toks) {
			a := t.toks[t.next]
			if a.pos != tok.pos || a.brace == '}' {
				break
			}
			t.next++
			if a.brace == '{' {
				if err := t.openBlock(s, depth); err != nil {
					return nil, err
				}
				break
			}
			s.args = append(s.args, a.text)
		}
		stmts = append(stmts, s)
	}
	if depth > 0 {
		return nil, &SyntaxError{Pos: open, Msg: "block is not closed: a '}' is missing"}
	}
	return stmts, nil
}

func (t *tree) openBlock(s *stmt, depth int) error {
	s.hasBlock = true
	inner, err := t.block(depth+1, s.pos)
	s.block = inner
	return err
}
