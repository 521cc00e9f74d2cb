package halo.run;

/** Halo's version, from the jar's manifest. */
public final class Version {

    private Version() {}

    public static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version != null ? version : "development build";
    }
}
