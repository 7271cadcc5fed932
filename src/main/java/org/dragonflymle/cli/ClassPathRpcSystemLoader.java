package org.dragonflymle.cli;

import java.util.Iterator;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Flink's RPC system (Pekko) from the class path, for the launcher's MiniCluster.
 *
 * <p>Flink ships Pekko and Scala as a jar inside {@code flink-rpc-akka-loader}, which its own
 * loader copies to a temporary file at every start and reads through a class loader of its own:
 * about 7,000 classes parsed and verified again each time, a quarter of local mode's start-up. The
 * distribution instead carries that inner jar in {@code lib/} (the build extracts it), so its
 * classes are on the class path and in the launcher's class-data-sharing archive; this loader,
 * ahead of Flink's, finds the RPC system there. Where the jar is not on the class path (tests run
 * from Maven, a Flink cluster's JobManager) it declines and Flink's own loader is used.
 */
public final class ClassPathRpcSystemLoader implements RpcSystemLoader {

    private final ClassLoader classes;

    /** The loader Flink's {@code RpcSystem.load} finds through {@link ServiceLoader}. */
    public ClassPathRpcSystemLoader() {
        this(ClassPathRpcSystemLoader.class.getClassLoader());
    }

    /** One that looks in {@code classes} (tests). */
    ClassPathRpcSystemLoader(ClassLoader classes) {
        this.classes = classes;
    }

    @Override
    public int getLoadPriority() {
        return -1; // before Flink's loader (0)
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        Iterator<RpcSystem> found = ServiceLoader.load(RpcSystem.class, classes).iterator();
        if (!found.hasNext()) {
            throw new RpcLoaderException(
                    "no RPC system on the class path (lib/flink-rpc-akka.jar); Flink's loader"
                            + " extracts its own");
        }
        return found.next();
    }
}
