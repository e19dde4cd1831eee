-- What the programme knows of each member, recomputed on a schedule and on demand (see RfmScoring).
CREATE TABLE member_score (
    member_id          BIGINT        NOT NULL PRIMARY KEY REFERENCES member (id),
    computed_on        DATE          NOT NULL,
    recency_days       INT,
    frequency          INT           NOT NULL,
    monetary           DECIMAL(19, 4) NOT NULL,
    recency_score      SMALLINT      NOT NULL,
    frequency_score    SMALLINT      NOT NULL,
    monetary_score     SMALLINT      NOT NULL,
    segment            VARCHAR(24)   NOT NULL,
    average_basket     DECIMAL(19, 2) NOT NULL,
    attrition_risk     DECIMAL(4, 2) NOT NULL,
    favourite_category VARCHAR(64)
);
CREATE INDEX member_score_segment_ix ON member_score (segment);
