package org.loyaltyengine.web;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.shrinkwrap.api.Archive;

/**
 * One Payara Micro serves the engine's WAR to every Arquillian test class of a run, on the run's one Derby, in place
 * of a Payara Micro started and stopped for each class (about 30 s each on two cores).
 *
 * <p>Payara's managed container starts Payara Micro at a class's deployment and kills it at the class's
 * undeployment. Here the first deployment starts it, later deployments of the same WAR are answered with the running
 * one, and it is stopped when Arquillian stops the container at the end of the run (or, should the run be cut
 * short, by the container's own shutdown hook); a start that fails is stopped, and fails every later class at once.
 * Failsafe runs these classes in an execution of their own, before those that start engines of their own
 * ({@link LaunchedEngine#OWN_ENGINE}). The classes already share the run's database, so each test is
 * written to hold whatever earlier classes left behind; what they now share as well is the engine's memory
 * (caches, open sessions), as tills and back offices share one engine in a shop.
 */
public final class OneEngineForTheRun implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.override(DeployableContainer.class, PayaraMicroDeployableContainer.class, SharedPayaraMicro.class);
    }

    /** Payara's managed Payara Micro, deployed once for the run. */
    public static final class SharedPayaraMicro extends PayaraMicroDeployableContainer {

        private Archive<?> deployed;
        private ProtocolMetaData serving;
        private DeploymentException failed;

        @Override
        public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
            if (failed != null) {
                // Each later class fails at once, with the cause, rather than starting another on the same Derby.
                throw new DeploymentException("Payara Micro did not start for an earlier class: " + failed.getMessage(),
                        failed);
            }
            if (serving == null) {
                try {
                    serving = super.deploy(archive);
                } catch (DeploymentException | RuntimeException e) {
                    failed = e instanceof DeploymentException d ? d
                            : new DeploymentException("Payara Micro did not start: " + e, e);
                    stopWhatStarted(archive);
                    throw failed;
                }
                deployed = archive;
            } else if (!deployed.getName().equals(archive.getName())) {
                throw new DeploymentException("This run's Payara Micro serves " + deployed.getName()
                        + "; a class asked for " + archive.getName());
            }
            return serving;
        }

        @Override
        public void undeploy(Archive<?> archive) {
            // Kept for the next class: stop() ends it.
        }

        @Override
        public void stop() throws LifecycleException {
            if (serving != null) {
                try {
                    super.undeploy(deployed);
                } catch (DeploymentException e) {
                    throw new LifecycleException("Payara Micro did not stop", e);
                }
                serving = null;
                deployed = null;
                awaitExit();
            }
            super.stop();
        }

        /** Ends a Payara Micro that was started but did not deploy (it may not have started at all). */
        private void stopWhatStarted(Archive<?> archive) {
            try {
                super.undeploy(archive);
            } catch (DeploymentException | RuntimeException e) {
                // Nothing was started, or it is gone already.
            }
            awaitExit();
        }

        /**
         * Waits (a minute at most) for Payara Micro, this JVM's child, to end: the classes that start engines of
         * their own run next, on a machine it no longer shares.
         */
        private static void awaitExit() {
            ProcessHandle.current().children().forEach(child -> {
                try {
                    child.onExit().get(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    child.destroyForcibly();
                }
            });
        }
    }
}
