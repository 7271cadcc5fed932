package org.dragonflymle.config;

/**
 * The two kinds of scripted stage config.lua declares; the engine's built-in outputs are not
 * stages.
 */
public enum StageKind {
    INPUT("inputs", "filter"),
    ANALYZER("analyzers", "analyzer");

    private final String table;
    private final String scriptDir;

    StageKind(String table, String scriptDir) {
        this.table = table;
        this.scriptDir = scriptDir;
    }

    /**
     * The config.lua table the stage is declared in, used in error messages ({@code analyzers[3]}).
     */
    public String table() {
        return table;
    }

    /** The directory under ROOT that holds this kind's scripts. */
    public String scriptDir() {
        return scriptDir;
    }
}
