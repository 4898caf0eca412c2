package dev.warden.cargo.semver;

/** A comparator operator in a Cargo version requirement. */
public enum Op {
    EXACT("="), GREATER(">"), GREATER_EQ(">="), LESS("<"), LESS_EQ("<="), TILDE("~"), CARET("^"), WILDCARD("");

    private final String symbol;

    Op(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
