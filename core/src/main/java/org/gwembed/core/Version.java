package org.gwembed.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the gwembed library: the {@code Implementation-Version} of the jar manifest it was loaded from, or,
 * when the classes are not in a jar (a build tree, tests), the version the build wrote into
 * {@code org/gwembed/core/version.properties}.
 */
public final class Version {

    private static final String VERSION = find();

    private Version() {
    }

    /** The library's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        return VERSION;
    }

    private static String find() {
        String manifest = Version.class.getPackage().getImplementationVersion();
        if (manifest != null && !manifest.isBlank()) {
            return manifest;
        }
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("org/gwembed/core/version.properties is missing from the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
