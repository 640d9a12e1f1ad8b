package knowledge

import "sort"

// Base is the loaded, validated fact base. It is read-only and safe for
// concurrent use.
//
// Accessors hand out the Base's own data without copying, because the
// engine calls them for every question: the slices they return, and the
// slices and pointers inside the values they return, are shared by every
// caller and must not be modified. Each accessor's comment says what it
// shares; clone (slices.Clone) before changing anything.
type Base struct {
	d         data
	places    map[string]*Place
	provinces map[string]*Province
	areas     map[string]*BaseArea
	partnerOf map[string]Pair   // key city id -> its pair
	keysOf    map[string][]Pair // partner id -> its pairs
	names     aliasIndex
	aliases   []Alias
	sources   map[string]Source
}

func index(d *data) *Base {
	b := &Base{
		d:         *d,
		places:    map[string]*Place{},
		provinces: map[string]*Province{},
		areas:     map[string]*BaseArea{},
		partnerOf: map[string]Pair{},
		keysOf:    map[string][]Pair{},
		names:     newAliasIndex(),
		sources:   map[string]Source{},
	}
	for i := range b.d.Places {
		p := &b.d.Places[i]
		b.places[p.ID] = p
		b.addAliases(KindPlace, p.ID, p.Aliases)
	}
	for i := range b.d.Provinces {
		p := &b.d.Provinces[i]
		b.provinces[p.ID] = p
		b.addAliases(KindProvince, p.ID, p.Aliases)
	}
	for i := range b.d.BaseAreas {
		a := &b.d.BaseAreas[i]
		b.areas[a.ID] = a
		b.addAliases(KindBaseArea, a.ID, a.Aliases)
	}
	for _, p := range b.d.Pairs {
		b.partnerOf[p.Key] = p
		b.keysOf[p.Partner] = append(b.keysOf[p.Partner], p)
	}
	for _, s := range b.d.Sources {
		b.sources[s.ID] = s
	}
	// Longest first, so a finder that takes the first match prefers
	// "恩施土家族苗族自治州" over "恩施".
	sort.SliceStable(b.aliases, func(i, j int) bool { return len(b.aliases[i].Key) > len(b.aliases[j].Key) })
	return b
}

func (b *Base) addAliases(kind Kind, id string, aliases []string) {
	for _, a := range aliases {
		key := AliasKey(a)
		if _, seen := b.names[kind][key]; seen {
			continue
		}
		b.names[kind][key] = id
		b.aliases = append(b.aliases, Alias{Key: key, Kind: kind, ID: id})
	}
}

// Document returns the facts about the plan document.
// Its slices are shared: do not modify them.
func (b *Base) Document() Document { return b.d.Document }

// Pairs returns the known pairs in the fact sheet's order.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) Pairs() []Pair { return b.d.Pairs }

// UnknownPairs is how many of the plan's pairs no source names.
func (b *Base) UnknownPairs() int { return b.d.UnknownPairs }

// PartnerOf returns the pair of a key city.
// Its slices are shared: do not modify them.
func (b *Base) PartnerOf(keyCity string) (Pair, bool) {
	p, ok := b.partnerOf[keyCity]
	return p, ok
}

// KeyCitiesOf returns the pairs of an eastern partner city, in the fact
// sheet's order; none if it is not a partner.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) KeyCitiesOf(partner string) []Pair { return b.keysOf[partner] }

// Paired reports whether two places are paired with each other, in either order.
func (b *Base) Paired(x, y string) bool {
	if p, ok := b.partnerOf[x]; ok && p.Partner == y {
		return true
	}
	p, ok := b.partnerOf[y]
	return ok && p.Partner == x
}

// Place returns a place by id.
// Its slices and pointers are shared: do not modify them.
func (b *Base) Place(id string) (Place, bool) {
	p, ok := b.places[id]
	if !ok {
		return Place{}, false
	}
	return *p, true
}

// Places returns every place: key cities, partners, then places not in the plan.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) Places() []Place { return b.d.Places }

// Lookup finds what a name refers to by its exact alias (after AliasKey).
// A name may be both a place and a province (Shanghai): the place comes first.
// The slice is new on each call.
func (b *Base) Lookup(name string) []Alias {
	key := AliasKey(name)
	var found []Alias
	for _, kind := range []Kind{KindPlace, KindProvince, KindBaseArea} {
		if id, ok := b.names[kind][key]; ok {
			found = append(found, Alias{Key: key, Kind: kind, ID: id})
		}
	}
	return found
}

// LookupPlace finds a place by its exact alias.
// Its slices and pointers are shared: do not modify them.
func (b *Base) LookupPlace(name string) (Place, bool) {
	id, ok := b.names[KindPlace][AliasKey(name)]
	if !ok {
		return Place{}, false
	}
	return b.Place(id)
}

// Aliases returns every alias, longest key first.
// The slice is shared: do not modify it.
func (b *Base) Aliases() []Alias { return b.aliases }

// Provinces returns every province-level division in the data's order.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) Provinces() []Province { return b.d.Provinces }

// BaseAreas returns every old revolutionary base area in the data's order.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) BaseAreas() []BaseArea { return b.d.BaseAreas }

// Province returns a province by id.
// Its slices are shared: do not modify them.
func (b *Base) Province(id string) (Province, bool) {
	p, ok := b.provinces[id]
	if !ok {
		return Province{}, false
	}
	return *p, true
}

// BaseArea returns a base area by id.
// Its slices are shared: do not modify them.
func (b *Base) BaseArea(id string) (BaseArea, bool) {
	a, ok := b.areas[id]
	if !ok {
		return BaseArea{}, false
	}
	return *a, true
}

// PlacesInProvince returns the places in a province with the given role.
// The slice is new, but the slices in its values are shared: do not modify them.
func (b *Base) PlacesInProvince(province string, role Role) []Place {
	var out []Place
	for _, p := range b.d.Places {
		if p.Province == province && p.Role == role {
			out = append(out, p)
		}
	}
	return out
}

// PairsInProvince returns the pairs whose key city or partner lies in a
// province; none for "".
// The slice is new, but the slices in its values are shared: do not modify them.
func (b *Base) PairsInProvince(province string) []Pair {
	if province == "" {
		return nil
	}
	var out []Pair
	for _, p := range b.d.Pairs {
		if b.places[p.Key].Province == province || b.places[p.Partner].Province == province {
			out = append(out, p)
		}
	}
	return out
}

// PairsInBaseArea returns the pairs whose key city lies in a base area;
// none for "", which would otherwise match the key cities whose base area
// the sources do not state (Ji'an).
// The slice is new, but the slices in its values are shared: do not modify them.
func (b *Base) PairsInBaseArea(area string) []Pair {
	if area == "" {
		return nil
	}
	var out []Pair
	for _, p := range b.d.Pairs {
		if b.places[p.Key].BaseArea == area {
			out = append(out, p)
		}
	}
	return out
}

// Tasks returns the five key tasks in order.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) Tasks() []Task { return b.d.Tasks }

// Task returns a task by its number, from 1.
// Its slices are shared: do not modify them.
func (b *Base) Task(n int) (Task, bool) {
	if n < 1 || n > len(b.d.Tasks) {
		return Task{}, false
	}
	return b.d.Tasks[n-1], true
}

// Measures returns the measures of a kind, in the data's order.
// The slice is new, but the slices in its values are shared: do not modify them.
func (b *Base) Measures(kind MeasureKind) []Measure {
	var out []Measure
	for _, m := range b.d.Measures {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// AllMeasures returns every working mechanism and support measure.
// The slice and the slices in it are shared: do not modify them.
func (b *Base) AllMeasures() []Measure { return b.d.Measures }

// Aims returns the plan's aims.
// Its slices are shared: do not modify them.
func (b *Base) Aims() Fact { return b.d.Aims }

// Sources returns every source in order.
// The slice is shared: do not modify it.
func (b *Base) Sources() []Source { return b.d.Sources }

// Source returns a source by id.
func (b *Base) Source(id string) (Source, bool) {
	s, ok := b.sources[id]
	return s, ok
}
