package expr

// WriteSourceOf writes src as a FROM item, for the external tests (package builder reaches
// this plumbing through render.Link).
func WriteSourceOf(w *Writer, src Source) { src.WriteSource(w) }
