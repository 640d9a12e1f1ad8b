package knowledge

// Text is a text a user can see, in English and Chinese.
type Text struct {
	EN string `yaml:"en"`
	ZH string `yaml:"zh"`
}

// Role is what part a place plays in the plan.
type Role string

// The roles a place can have.
const (
	RoleKey     Role = "key"     // a key city in an old revolutionary base area
	RolePartner Role = "partner" // an eastern partner city
	RoleOther   Role = "other"   // a place the plan does not name
)

// Status says how well a pairing is sourced.
type Status string

// The statuses of a pair, from the fact sheet.
const (
	StatusSeed Status = "seed" // stated in the seed article
	StatusC2   Status = "C2"   // two or more independent sources
	StatusC1   Status = "C1"   // one source only
)

// Place is a city or prefecture.
type Place struct {
	ID       string   `yaml:"id"`
	Role     Role     `yaml:"role"`
	Kind     string   `yaml:"kind"` // "prefecture" for Enshi; empty means a city
	Name     Text     `yaml:",inline"`
	Formal   *Text    `yaml:"formal"` // the formal name where it differs
	Province string   `yaml:"province"`
	BaseArea string   `yaml:"base_area"` // empty where the sources do not state it
	Aliases  []string `yaml:"aliases"`
	Note     *Text    `yaml:"note"` // a name trap worth telling the user
}

// Province is a province-level division.
type Province struct {
	ID      string   `yaml:"id"`
	Name    Text     `yaml:",inline"`
	Aliases []string `yaml:"aliases"`
}

// BaseArea is an old revolutionary base area.
type BaseArea struct {
	ID      string   `yaml:"id"`
	Name    Text     `yaml:",inline"`
	Aliases []string `yaml:"aliases"`
}

// Pair is one pairing of a key city with its eastern partner.
type Pair struct {
	Key     string   `yaml:"key"`     // place id of the key city
	Partner string   `yaml:"partner"` // place id of the eastern partner
	Status  Status   `yaml:"status"`
	Sources []string `yaml:"sources"`
}

// Task is one of the plan's five key tasks.
type Task struct {
	Number   int      `yaml:"number"`
	Name     Text     `yaml:"name"`
	Summary  Text     `yaml:"summary"`
	Keywords []string `yaml:"keywords"` // subject words, English and Chinese
	Sources  []string `yaml:"sources"`
}

// MeasureKind groups the working mechanisms and support measures.
type MeasureKind string

// The kinds of measure in the plan.
const (
	MeasureExchanges         MeasureKind = "exchanges"          // visits, officials' exchanges
	MeasureImplementation    MeasureKind = "implementation"     // each pair's implementation plan
	MeasureDepartmentSupport MeasureKind = "department_support" // central departments
	MeasureFinance           MeasureKind = "finance"            // financial institutions
	MeasureEvaluation        MeasureKind = "evaluation"         // evaluation and supervision
	MeasureOtherCities       MeasureKind = "other_cities"       // other cities joining
	MeasureIntegration       MeasureKind = "integration"        // with existing counterpart support
)

// Measure is one working mechanism or support measure.
type Measure struct {
	Kind    MeasureKind `yaml:"kind"`
	Text    Text        `yaml:"text"`
	Sources []string    `yaml:"sources"`
}

// Fact is a text with its sources.
type Fact struct {
	Text    Text     `yaml:"text"`
	Sources []string `yaml:"sources"`
}

// Source is one of the fact sheet's sources.
type Source struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
}

// Document holds the facts about the plan document itself.
type Document struct {
	Title   Text `yaml:"title"`
	Issuer  Text `yaml:"issuer"`
	Consent Text `yaml:"consent"`
	Number  struct {
		Value   string   `yaml:"value"`
		Sources []string `yaml:"sources"`
	} `yaml:"number"`
	Issued struct {
		Text        `yaml:",inline"`
		Note        Text     `yaml:"note"`
		NoteSources []string `yaml:"note_sources"`
	} `yaml:"issued"`
	Published Text `yaml:"published"`
	Period    struct {
		Start int `yaml:"start"`
		End   int `yaml:"end"`
		Years int `yaml:"years"`
	} `yaml:"period"`
	Scale struct {
		KeyCities int `yaml:"key_cities"`
		Pairs     int `yaml:"pairs"`
	} `yaml:"scale"`
	// Sources back the title, issuer and consent; DateSources the dates,
	// period and scale.
	Sources     []string `yaml:"sources"`
	DateSources []string `yaml:"date_sources"`
	Selection   Fact     `yaml:"selection"`
	Policy      Fact     `yaml:"policy"`
}

// data is the shape of the fact file.
type data struct {
	Document     Document   `yaml:"document"`
	Provinces    []Province `yaml:"provinces"`
	BaseAreas    []BaseArea `yaml:"base_areas"`
	Places       []Place    `yaml:"places"`
	Pairs        []Pair     `yaml:"pairs"`
	UnknownPairs int        `yaml:"unknown_pairs"`
	Tasks        []Task     `yaml:"tasks"`
	Measures     []Measure  `yaml:"measures"`
	Aims         Fact       `yaml:"aims"`
	Sources      []Source   `yaml:"sources"`
}
