package dev.warden.recon.typosquat;

/** How a name imitates another, strongest evidence first. */
public enum Technique {
    SEPARATOR("separator trick", "the same letters with separators added, dropped or swapped"),
    HOMOGLYPH("look-alike characters", "characters that look alike (rn/m, vv/w, cl/d, 1/l/i, 0/o, 5/s)"),
    WORD_ORDER("swapped words", "the same words in another order"),
    DOUBLING("doubled letter", "a letter doubled or undoubled"),
    PLURAL("plural", "the name with a plural s"),
    VERSION("version in name", "another or an added version number"),
    TYPO("typo", "one or two characters inserted, deleted, replaced or swapped"),
    AFFIX("affix", "the name with a filler prefix or suffix (rust-, -rs, -utils, -sdk, -cli, -core, …)"),
    COMBO("combosquat", "a very popular name combined with another word");

    private final String label;
    private final String description;

    Technique(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Techniques that change a popular name without adding a word to it. */
    public boolean closeVariant() {
        return ordinal() <= TYPO.ordinal();
    }
}
