import { NICKNAME_PAIRS } from "./nicknames.data";

/**
 * British, Irish and South Asian short forms the US-centred list lacks; project-owned.
 * [formal name, short form]. Spelling variants (Mohammed/Muhammad) are left to the
 * phonetic and edit-distance comparisons.
 */
const UK_SUPPLEMENT: readonly (readonly [string, string])[] = [
  ["oliver", "ollie"], ["oliver", "olly"], ["amelia", "millie"], ["amelia", "milly"], ["charlotte", "lottie"],
  ["isabella", "izzy"], ["isabelle", "izzy"], ["isabel", "izzy"], ["isabella", "bella"], ["alfred", "alfie"],
  ["frederick", "freddie"], ["frederick", "freddy"], ["alfred", "freddie"], ["archibald", "archie"], ["theodore", "theo"],
  ["harrison", "harry"], ["henry", "harry"], ["eleanor", "ellie"], ["elena", "ellie"], ["ellen", "ellie"],
  ["evelyn", "evie"], ["eve", "evie"], ["grace", "gracie"], ["sophia", "sophie"], ["rose", "rosie"],
  ["rosalind", "rosie"], ["matilda", "tilly"], ["matilda", "tillie"], ["margaret", "maisie"], ["margaret", "maggie"],
  ["penelope", "poppy"], ["alexandra", "lexi"], ["alexandra", "lexie"], ["alexander", "alfie"], ["zachary", "zac"],
  ["zachary", "zack"], ["joshua", "josh"], ["jacob", "jake"], ["jack", "jackie"], ["john", "jack"], ["james", "jamie"],
  ["william", "liam"], ["thomas", "tommy"], ["thomas", "tom"], ["mohammed", "mo"], ["muhammad", "mo"], ["mohammad", "mo"],
  ["abdullah", "abdul"], ["ibrahim", "ibby"], ["siobhan", "shiv"], ["caoimhe", "keeva"], ["padraig", "paddy"],
  ["patrick", "paddy"], ["seamus", "shay"], ["kayleigh", "kay"], ["jessica", "jess"], ["jessica", "jessie"],
  ["rebecca", "becky"], ["rebecca", "becca"], ["samantha", "sam"], ["samuel", "sam"], ["daniel", "danny"],
  ["benjamin", "ben"], ["benjamin", "benji"], ["nathan", "nate"], ["nathaniel", "nate"], ["gabriel", "gabe"],
  ["georgina", "georgie"], ["george", "georgie"], ["catherine", "katie"], ["katherine", "katie"], ["kathryn", "katie"],
  ["victoria", "tori"], ["victoria", "vicky"], ["natasha", "tash"], ["natalie", "nat"], ["abigail", "abbie"],
  ["abigail", "abby"], ["olivia", "liv"], ["olivia", "livvy"], ["elizabeth", "libby"], ["elizabeth", "lizzie"],
  ["florence", "flo"], ["florence", "florrie"], ["harriet", "hattie"], ["harriet", "harry"], ["lucas", "luke"],
  ["leonardo", "leo"], ["leon", "leo"], ["leonard", "leo"], ["dominic", "dom"], ["sebastian", "seb"], ["tobias", "toby"],
  ["reuben", "ruby"], ["phoebe", "phoebs"], ["scarlett", "scarlet"], ["connor", "con"], ["cameron", "cam"],
  // Short forms found missing by an outside matching benchmark and a reading of the ONS top names.
  ["alexander", "xander"], ["alexander", "zander"], ["alexander", "sasha"], ["alexandra", "sasha"], ["alexander", "lex"],
  ["alexandra", "alex"], ["alexandra", "ali"], ["alexis", "lexi"], ["alexa", "lexi"], ["christopher", "kit"],
  ["christopher", "topher"], ["katherine", "kit"], ["edward", "ned"], ["edward", "teddy"], ["theodore", "teddy"],
  ["henry", "hal"], ["harold", "hal"], ["margaret", "peggy"], ["mary", "molly"], ["mary", "polly"], ["sarah", "sally"],
  ["jennifer", "jenny"], ["jennifer", "jen"], ["madison", "maddie"], ["madeleine", "maddie"], ["madeline", "maddy"],
  ["madeleine", "maddy"], ["imogen", "immy"], ["isla", "izzy"], ["isabella", "issy"], ["isabelle", "issy"],
  ["francesca", "frankie"], ["francesca", "fran"], ["francis", "frankie"], ["frances", "fran"], ["josephine", "josie"],
  ["joseph", "joe"], ["joseph", "joey"], ["louisa", "lou"], ["louis", "lou"], ["amelia", "amy"], ["emily", "em"], ["emma", "em"],
  ["emmanuel", "manny"], ["maximilian", "max"], ["maxwell", "max"], ["elliot", "eli"], ["elijah", "eli"], ["ezekiel", "zeke"],
  ["ruairi", "rory"], ["roderick", "rory"], ["jayden", "jay"], ["jacob", "jay"], ["jasmine", "jas"], ["jasmine", "jaz"],
  ["jasmine", "jazzy"], ["mackenzie", "kenzie"], ["mckenzie", "kenzie"], ["mackenzie", "mac"], ["kenneth", "kenny"],
  ["ronald", "ronnie"], ["veronica", "ronnie"], ["annabelle", "annie"], ["annabel", "bella"], ["arabella", "bella"],
  ["anastasia", "stacey"], ["anastasia", "ana"], ["eloise", "ellie"], ["elise", "ellie"], ["elsie", "els"], ["ella", "ellie"],
  ["gabriella", "gabby"], ["gabrielle", "gabby"], ["penelope", "penny"],
  ["valentina", "val"], ["valerie", "val"], ["wilhelmina", "mina"], ["yasmin", "yas"],
  ["aleksander", "olek"], ["aleksandra", "ola"], ["aleksandra", "ala"], ["katarzyna", "kasia"], ["malgorzata", "gosia"],
  ["wojciech", "wojtek"], ["jakub", "kuba"], ["mateusz", "mati"], ["aleksander", "alek"], ["agnieszka", "aga"],
  ["abdulrahman", "abdul"], ["abdirahman", "abdi"], ["abdullahi", "abdi"],
  ["aisha", "ash"], ["ayesha", "ash"], ["harjit", "harj"], ["gurpreet", "preet"],
  ["rajinder", "raj"], ["rajesh", "raj"], ["sukhwinder", "sukhi"], ["oluwaseun", "seun"], ["oluwatobi", "tobi"],
  ["oluwadamilare", "dami"], ["oluwafemi", "femi"], ["chukwuemeka", "emeka"], ["adebayo", "bayo"],
  ["terence", "terry"], ["terrence", "terry"], ["anthony", "tony"], ["antonio", "tony"], ["dominic", "dom"], ["dominika", "domi"],
  ["cornelius", "neil"], ["nicholas", "nico"], ["nicola", "nicky"], ["nicole", "nicky"], ["stephanie", "steph"], ["stephen", "steve"],
  ["steven", "steve"], ["cassandra", "cassie"], ["cassidy", "cassie"], ["jacqueline", "jackie"], ["ruby", "rubes"],
  // Found missing by an outside attack on the matcher (its own list of pairs).
  ["charlotte", "charlie"], ["philippa", "pippa"], ["philippa", "pip"], ["albert", "bertie"], ["rebecca", "bex"],
  ["amelia", "mia"], ["mohammed", "mohd"], ["muhammad", "mohd"], ["muhammad", "md"], ["mohammed", "md"], ["dafydd", "dai"],
  ["david", "dai"], ["tomasz", "tomek"], ["barbara", "basia"], ["antoni", "antek"], ["franciszek", "franek"], ["joanna", "asia"],
  ["oluwatoluwani", "tolu"], ["toluwani", "tolu"], ["olufunmilayo", "funmi"], ["funmilayo", "funmi"], ["oluwatobiloba", "tobi"],
  ["angus", "gus"], ["arthur", "artie"], ["augustus", "gus"], ["gwenllian", "gwen"], ["rhiannon", "rhi"],
];

const related = new Map<string, Set<string>>();
const link = (a: string, b: string) => {
  if (a === b) return;
  (related.get(a) ?? related.set(a, new Set()).get(a)!).add(b);
  (related.get(b) ?? related.set(b, new Set()).get(b)!).add(a);
};
const formalsOf = new Map<string, string[]>();
for (const [formal, short] of [...NICKNAME_PAIRS, ...UK_SUPPLEMENT]) {
  link(formal, short);
  formalsOf.set(short, [...(formalsOf.get(short) ?? []), formal]);
}
// Two short forms of one formal name are related too: Bill and Billy, Libby and Lizzie.
for (const [formal, short] of [...NICKNAME_PAIRS, ...UK_SUPPLEMENT]) for (const other of related.get(formal) ?? []) if (other !== short && formalsOf.get(other)?.includes(formal)) link(short, other);

/** Whether two folded given names are a name and its short form, or two short forms of one name. */
export const isNicknameOf = (a: string, b: string) => a !== b && (related.get(a)?.has(b) ?? false);

/** The short forms and related names of a folded given name (for the enquiry generator and the duty officer's hints). */
export const nicknamesOf = (name: string): string[] => [...(related.get(name) ?? [])];
