package halo.timing;

/** Where a rank's time goes. */
public enum Phase {
    SETUP("set-up"),
    COMPUTE("compute"),
    HALO("halo exchange"),
    REDUCTION("reduction"),
    IO("I/O");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Key in summary.json and the JSON logs: "halo_exchange", "io", … */
    public String key() {
        return name().equals("HALO") ? "halo_exchange" : name().toLowerCase();
    }
}
