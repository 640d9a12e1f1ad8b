package bot

// Intent is what a question asks for.
type Intent string

// The intents the engine recognises. The string values appear in JSON output
// and in scripted tests (`intent: partner_of`).
const (
	IntentFallback          Intent = "fallback"
	IntentPartnerOf         Intent = "partner_of"         // eastern partner of a key city
	IntentKeyCitiesOf       Intent = "key_cities_of"      // key cities of an eastern city
	IntentPairCheck         Intent = "pair_check"         // are X and Y paired?
	IntentNotInPlan         Intent = "not_in_plan"        // a city the plan does not name
	IntentListPairs         Intent = "list_pairs"         // all pairs
	IntentUnknownPair       Intent = "unknown_pair"       // the 20th pair, which no source names
	IntentPairsInRegion     Intent = "pairs_in_region"    // pairs in a province or base area
	IntentSameProvince      Intent = "same_province"      // pairs inside one province
	IntentMultiPartners     Intent = "multi_partners"     // partners with several key cities
	IntentRegionOf          Intent = "region_of"          // province or base area of a city
	IntentCount             Intent = "count"              // how many key cities, pairs, partners
	IntentIssuer            Intent = "issuer"             // who issued it, State Council consent
	IntentDocNumber         Intent = "doc_number"         // 发改振兴〔2022〕766号
	IntentTitle             Intent = "title"              // the plan's name
	IntentIssueDate         Intent = "issue_date"         // May 2022
	IntentPublishDate       Intent = "publish_date"       // 7 June 2022
	IntentPeriod            Intent = "period"             // 2022–2030, eight years
	IntentTasks             Intent = "tasks"              // the five key tasks
	IntentTaskDetail        Intent = "task_detail"        // one task in detail
	IntentExchanges         Intent = "exchanges"          // visits, officials' exchanges, postings
	IntentFinance           Intent = "finance"            // financial institutions
	IntentDepartmentSupport Intent = "department_support" // central departments' support
	IntentOtherCities       Intent = "other_cities"       // other cities joining
	IntentAims              Intent = "aims"               // what the plan aims at
	IntentSources           Intent = "sources"            // where the facts come from
	IntentSelection         Intent = "selection"          // how pairs were chosen
	IntentPolicyBasis       Intent = "policy_basis"       // policy it implements
	IntentImplementation    Intent = "implementation"     // each pair's implementation plan
	IntentEvaluation        Intent = "evaluation"         // evaluation and supervision
	IntentMechanisms        Intent = "mechanisms"         // how paired cities work together
	IntentOverview          Intent = "overview"           // what the plan is
	IntentGreeting          Intent = "greeting"
	IntentHelp              Intent = "help"
	IntentThanks            Intent = "thanks"
)
