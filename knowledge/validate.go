package knowledge

import (
	"errors"
	"fmt"
)

// validate checks the rules of the data contract and returns every broken
// one, each naming the entry and the field.
func validate(d *data) error {
	v := &validator{sources: map[string]bool{}}
	for i, s := range d.Sources {
		entry := fmt.Sprintf("sources[%d]", i)
		v.need(entry, "id", s.ID)
		v.need(entry, "text", s.Text)
		if v.sources[s.ID] {
			v.fail(entry, "id", "duplicate source id %q", s.ID)
		}
		v.sources[s.ID] = true
	}

	doc := d.Document
	v.text("document", "title", doc.Title)
	v.text("document", "issuer", doc.Issuer)
	v.text("document", "consent", doc.Consent)
	v.text("document", "issued", doc.Issued.Text)
	v.text("document", "published", doc.Published)
	v.need("document", "number.value", doc.Number.Value)
	v.cite("document", "number.sources", doc.Number.Sources)
	v.cite("document", "sources", doc.Sources)
	v.cite("document", "date_sources", doc.DateSources)
	if doc.Issued.Note != (Text{}) {
		v.text("document", "issued.note", doc.Issued.Note)
		v.cite("document", "issued.note_sources", doc.Issued.NoteSources)
	} else {
		// Without a note no source is needed, but a cited one must exist.
		v.exist("document", "issued.note_sources", doc.Issued.NoteSources)
	}
	switch p := doc.Period; {
	case p.Start == 0 || p.End < p.Start || p.Years <= 0:
		v.fail("document", "period", "needs start, end >= start and years > 0")
	case p.Years != p.End-p.Start:
		v.fail("document", "period.years", "is %d; want end - start = %d", p.Years, p.End-p.Start)
	}
	if doc.Scale.KeyCities <= 0 || doc.Scale.Pairs <= 0 {
		v.fail("document", "scale", "needs key_cities and pairs > 0")
	}
	v.fact("document", "selection", doc.Selection)
	v.fact("document", "policy", doc.Policy)

	names := newAliasIndex()
	provinces := map[string]bool{}
	for i, p := range d.Provinces {
		v.region(fmt.Sprintf("provinces[%d] (%s)", i, p.ID), KindProvince, p.ID, p.Name, p.Aliases, provinces, names)
	}
	areas := map[string]bool{}
	for i, a := range d.BaseAreas {
		v.region(fmt.Sprintf("base_areas[%d] (%s)", i, a.ID), KindBaseArea, a.ID, a.Name, a.Aliases, areas, names)
	}
	places := map[string]Role{}
	for i, p := range d.Places {
		entry := fmt.Sprintf("places[%d] (%s)", i, p.ID)
		v.need(entry, "id", p.ID)
		if _, dup := places[p.ID]; dup {
			v.fail(entry, "id", "duplicate place id %q", p.ID)
		}
		places[p.ID] = p.Role
		v.text(entry, "name", p.Name)
		if p.Formal != nil {
			v.text(entry, "formal", *p.Formal)
		}
		if p.Note != nil {
			v.text(entry, "note", *p.Note)
		}
		switch p.Role {
		case RoleKey, RolePartner, RoleOther:
		default:
			v.fail(entry, "role", "is %q; want key, partner or other", p.Role)
		}
		if !provinces[p.Province] {
			v.fail(entry, "province", "unknown province %q", p.Province)
		}
		if p.BaseArea != "" && !areas[p.BaseArea] {
			v.fail(entry, "base_area", "unknown base area %q", p.BaseArea)
		}
		if p.Role == RoleOther && p.BaseArea != "" {
			v.fail(entry, "base_area", "is %q; a place with role other is not in the plan and has none", p.BaseArea)
		}
		v.aliases(names, KindPlace, entry, p.ID, p.Aliases)
	}

	paired := map[string]bool{}    // key city ids
	partnered := map[string]bool{} // partner ids
	for i, p := range d.Pairs {
		entry := fmt.Sprintf("pairs[%d] (%s-%s)", i, p.Key, p.Partner)
		if places[p.Key] != RoleKey {
			v.fail(entry, "key", "%q is not a place with role key", p.Key)
		}
		if places[p.Partner] != RolePartner {
			v.fail(entry, "partner", "%q is not a place with role partner", p.Partner)
		}
		if paired[p.Key] {
			v.fail(entry, "key", "%q is paired twice", p.Key)
		}
		paired[p.Key] = true
		partnered[p.Partner] = true
		switch p.Status {
		case StatusSeed, StatusC2, StatusC1:
		default:
			v.fail(entry, "status", "is %q; want seed, C2 or C1", p.Status)
		}
		v.cite(entry, "sources", p.Sources)
	}
	if d.UnknownPairs < 0 {
		v.fail("pairs", "unknown_pairs", "is %d; want 0 or more", d.UnknownPairs)
	}
	if len(d.Pairs)+d.UnknownPairs != doc.Scale.Pairs {
		v.fail("pairs", "unknown_pairs", "%d known + %d unknown pairs != document scale.pairs %d",
			len(d.Pairs), d.UnknownPairs, doc.Scale.Pairs)
	}

	// Every key city and partner is in a pair; the key cities no source
	// pairs are not places but unknown pairs.
	keys := 0
	for i, p := range d.Places {
		entry := fmt.Sprintf("places[%d] (%s)", i, p.ID)
		switch {
		case p.Role == RoleKey:
			keys++
			if !paired[p.ID] {
				v.fail(entry, "role", "key city %q is in no pair", p.ID)
			}
		case p.Role == RolePartner && !partnered[p.ID]:
			v.fail(entry, "role", "partner %q is in no pair", p.ID)
		}
	}
	if keys+d.UnknownPairs != doc.Scale.KeyCities {
		v.fail("places", "role", "%d key cities + %d unknown pairs != document scale.key_cities %d",
			keys, d.UnknownPairs, doc.Scale.KeyCities)
	}

	for i, t := range d.Tasks {
		entry := fmt.Sprintf("tasks[%d]", i)
		if t.Number != i+1 {
			v.fail(entry, "number", "is %d; want %d (tasks in order)", t.Number, i+1)
		}
		v.text(entry, "name", t.Name)
		v.text(entry, "summary", t.Summary)
		v.cite(entry, "sources", t.Sources)
	}
	if len(d.Tasks) == 0 {
		v.fail("tasks", "tasks", "no tasks")
	}
	for i, m := range d.Measures {
		entry := fmt.Sprintf("measures[%d] (%s)", i, m.Kind)
		switch m.Kind {
		case MeasureExchanges, MeasureImplementation, MeasureDepartmentSupport, MeasureFinance,
			MeasureEvaluation, MeasureOtherCities, MeasureIntegration:
		default:
			v.fail(entry, "kind", "unknown measure kind %q", m.Kind)
		}
		v.text(entry, "text", m.Text)
		v.cite(entry, "sources", m.Sources)
	}
	v.fact("aims", "aims", d.Aims)
	return errors.Join(v.errs...)
}

type validator struct {
	sources map[string]bool
	errs    []error
}

func (v *validator) fail(entry, field, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s: %s", entry, field, fmt.Sprintf(format, args...)))
}

func (v *validator) need(entry, field, value string) {
	if value == "" {
		v.fail(entry, field, "is empty")
	}
}

// text requires both languages.
func (v *validator) text(entry, field string, t Text) {
	if t.EN == "" {
		v.fail(entry, field+".en", "is empty: every user-facing text needs English")
	}
	if t.ZH == "" {
		v.fail(entry, field+".zh", "is empty: every user-facing text needs Chinese")
	}
}

// cite requires at least one source id, each of which exists.
func (v *validator) cite(entry, field string, ids []string) {
	if len(ids) == 0 {
		v.fail(entry, field, "cites no source")
	}
	v.exist(entry, field, ids)
}

// exist requires that each cited source id exists, allowing none.
func (v *validator) exist(entry, field string, ids []string) {
	for _, id := range ids {
		if !v.sources[id] {
			v.fail(entry, field, "cites unknown source %q", id)
		}
	}
}

func (v *validator) fact(entry, field string, f Fact) {
	v.text(entry, field+".text", f.Text)
	v.cite(entry, field+".sources", f.Sources)
}

// region checks a province or base area: an id seen once, names in both
// languages, and its aliases.
func (v *validator) region(entry string, kind Kind, id string, name Text, aliases []string, seen map[string]bool, names aliasIndex) {
	v.need(entry, "id", id)
	v.text(entry, "name", name)
	if seen[id] {
		v.fail(entry, "id", "duplicate %s id %q", kind, id)
	}
	seen[id] = true
	v.aliases(names, kind, entry, id, aliases)
}

// aliases requires at least one alias and that no alias names two things of
// the same kind. (A province and a city may share a name: Shanghai.)
func (v *validator) aliases(idx aliasIndex, kind Kind, entry, id string, aliases []string) {
	if len(aliases) == 0 {
		v.fail(entry, "aliases", "is empty")
	}
	for _, a := range aliases {
		key := AliasKey(a)
		if key == "" {
			v.fail(entry, "aliases", "alias %q is empty once normalised", a)
			continue
		}
		if prev, ok := idx[kind][key]; ok && prev != id {
			v.fail(entry, "aliases", "alias %q also names %s %q", a, kind, prev)
			continue
		}
		idx[kind][key] = id
	}
}
