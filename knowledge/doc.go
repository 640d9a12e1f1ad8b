// Package knowledge holds the facts of the 2022 Work Plan for Paired
// Cooperation in Key Cities in Old Revolutionary Base Areas as validated
// data, with a typed query API.
//
// The data contract: data/plan.yaml (embedded) or an override file of the
// same shape holds the document facts, provinces, base areas, places (key
// cities, eastern partners, and places the plan does not name), the pairs,
// the five key tasks, the working measures, the aims and the sources.
// Every fact cites at least one source id that exists; every text a user can
// see has English and Chinese; every alias names exactly one place, province
// or base area; every key city and partner is in a pair, and the key cities
// and pairs, with unknown_pairs added, match the document's scale. A fact
// file holds one YAML document. Load and LoadFile refuse data that breaks a
// rule, with an error naming the entry and field.
//
// The package has no chat logic: it answers typed queries (PartnerOf,
// KeyCitiesOf, Lookup, ...) and leaves wording to package bot.
package knowledge
