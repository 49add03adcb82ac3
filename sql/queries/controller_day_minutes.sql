-- The most minutes any one controller (cid, over all callsigns) was online on one day of a window.
-- A cid can hold one controller connection at a time, so more than 1,440 minutes in a day means
-- sessions were double counted.
-- :start, :end  date  the window (whole UTC days)
SELECT date, cid, sum(minutes_online) AS minutes_online
FROM vatstats.controller_summaries
WHERE date >= :start AND date < :end
GROUP BY date, cid
ORDER BY minutes_online DESC, date, cid
LIMIT 1;
