-- Whether any HEART response has been loaded (from any log, any date). Without one,
-- every figure that needs the HEART log (responses, answered, diverted, outcomes,
-- follow-ups) would read 0; the reports say no log was loaded and show the CAD side only.
SELECT count(*) > 0 AS loaded FROM staging.heart_responses;
