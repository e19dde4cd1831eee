package org.loyaltyengine.engine.infrastructure.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;

import org.loyaltyengine.engine.domain.job.Job;
import org.loyaltyengine.engine.domain.job.JobRun;
import org.loyaltyengine.engine.domain.job.JobRunRepository;

@ApplicationScoped
public class JpaJobRunRepository implements JobRunRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public void begin(JobRun run) {
        em.persist(run);
        em.flush();
    }

    @Override
    public Optional<JobRun> find(long id) {
        return Optional.ofNullable(em.find(JobRun.class, id));
    }

    @Override
    public int abandon(String instance, Job job, Long kept, Instant now, String detail) {
        Query update = em.createQuery("update JobRun r set r.outcome = :abandoned, r.finishedAt = :now,"
                        + " r.detail = :detail where r.instance = :instance and r.outcome = :running"
                        + (job == null ? "" : " and r.job = :job") + (kept == null ? "" : " and r.id <> :kept"))
                .setParameter("abandoned", JobRun.Outcome.ABANDONED)
                .setParameter("now", now)
                .setParameter("detail", detail)
                .setParameter("instance", instance)
                .setParameter("running", JobRun.Outcome.RUNNING);
        if (job != null) {
            update.setParameter("job", job.key());
        }
        if (kept != null) {
            update.setParameter("kept", kept);
        }
        return update.executeUpdate();
    }

    @Override
    public Optional<JobRun> ofPeriod(Job job, Instant period) {
        return em.createQuery("select r from JobRun r where r.job = :job and r.period = :period", JobRun.class)
                .setParameter("job", job.key())
                .setParameter("period", period)
                .getResultStream().findFirst();
    }

    @Override
    public boolean ranBefore(Job job, Instant period) {
        return !em.createQuery("select r.id from JobRun r where r.job = :job and r.period < :period", Long.class)
                .setParameter("job", job.key())
                .setParameter("period", period)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    @Override
    public boolean ranBefore(Job job, Instant period, Instant after) {
        return !em.createQuery("select r.id from JobRun r where r.job = :job and r.period < :period"
                        + " and r.period > :after", Long.class)
                .setParameter("job", job.key())
                .setParameter("period", period)
                .setParameter("after", after)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    @Override
    public boolean retake(long id, String instance, Instant now) {
        return em.createQuery("update JobRun r set r.outcome = :running, r.instance = :instance, r.startedAt = :now,"
                        + " r.finishedAt = null, r.detail = null where r.id = :id and r.outcome = :abandoned")
                .setParameter("running", JobRun.Outcome.RUNNING)
                .setParameter("instance", instance)
                .setParameter("now", now)
                .setParameter("id", id)
                .setParameter("abandoned", JobRun.Outcome.ABANDONED)
                .executeUpdate() == 1;
    }

    @Override
    public List<String> runningInstances() {
        return em.createQuery("select distinct r.instance from JobRun r where r.outcome = :running", String.class)
                .setParameter("running", JobRun.Outcome.RUNNING)
                .getResultList();
    }

    @Override
    public List<JobRun> recent(Job job, Instant since, int limit) {
        TypedQuery<JobRun> query = em.createQuery("select r from JobRun r where r.startedAt >= :since"
                        + (job == null ? "" : " and r.job = :job") + " order by r.startedAt desc, r.id desc",
                        JobRun.class)
                .setParameter("since", since == null ? Instant.EPOCH : since)
                .setMaxResults(limit);
        return (job == null ? query : query.setParameter("job", job.key())).getResultList();
    }
}
