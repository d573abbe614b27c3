package io.sweepd.triage;

import io.sweepd.files.CatalogFiles;
import io.sweepd.workarounds.WorkaroundCatalog;
import io.sweepd.yaml.YamlFieldException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The failure signatures in precedence order: files in index (file-name) order, signatures in file order;
 * triage takes the first one that matches. Immutable.
 */
public final class SignatureCatalog {

    /** Classpath folder of the shipped signatures; {@code index.txt} there lists the files. */
    public static final String CLASSPATH_FOLDER = "workarounds/signatures";

    private final List<Signature> signatures;

    private SignatureCatalog(List<Signature> signatures) {
        Map<String, Signature> seen = new HashMap<>();
        for (Signature signature : signatures) {
            Signature previous = seen.putIfAbsent(signature.id(), signature);
            if (previous != null) {
                throw new YamlFieldException(signature.file(), signature.line(), 0, "id",
                        "signature id '" + signature.id() + "' is already used at " + previous.source());
            }
        }
        this.signatures = List.copyOf(signatures);
    }

    /** The shipped signatures, their workaround ids checked against the shipped rules. */
    public static SignatureCatalog shipped() {
        return fromClasspath(CatalogFiles.defaultLoader(), Set.copyOf(WorkaroundCatalog.fromClasspath().ids()));
    }

    /**
     * @param workaroundIds the rule ids a signature may suggest (a daemon with its own rule directories passes
     *                      its catalog's ids)
     * @throws YamlFieldException when the index, a file, or a signature in it is invalid
     */
    public static SignatureCatalog fromClasspath(ClassLoader loader, Set<String> workaroundIds) {
        return of(CatalogFiles.fromClasspath(loader, CLASSPATH_FOLDER), workaroundIds);
    }

    /** Every {@code *.yaml} directly in {@code dir}, in file-name order. */
    public static SignatureCatalog fromDirectory(Path dir, Set<String> workaroundIds) {
        return of(CatalogFiles.fromDirectory(dir), workaroundIds);
    }

    /** Signatures from already-read sources, in the order given. */
    public static SignatureCatalog of(List<CatalogFiles.Source> sources, Set<String> workaroundIds) {
        List<Signature> all = new ArrayList<>();
        for (CatalogFiles.Source source : sources) {
            all.addAll(SignatureReader.read(source, workaroundIds));
        }
        return new SignatureCatalog(all);
    }

    /** In precedence order. */
    public List<Signature> signatures() {
        return signatures;
    }

    public Optional<Signature> byId(String id) {
        return signatures.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
