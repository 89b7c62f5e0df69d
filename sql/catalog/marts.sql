-- marts: the analyst-facing tables, one row per thing an analyst asks about (a
-- day, an incident, a response, an eligible call, a call type), with local
-- dates and what the program configuration had in force. The metrics read
-- only these. Each is built by sql/marts/<table>.sql, whose header says how.

-- The comments on every table and column of the marts schema (pipeline/warehouse/catalog.py
-- applies them after every build). "Instant" means TIMESTAMPTZ, stored as UTC;
-- "local" means the program's time zone (staging.program.timezone).

COMMENT ON TABLE marts.program_days IS 'One row per local calendar day from the launch date to the last day with data: what the program configuration had in force that day (for each section, the entry with the latest effective_from on or before the day). Every eligibility, coverage and capacity question in the marts joins here by local date.';
COMMENT ON COLUMN marts.program_days.service_date IS 'The day: local date (program time zone).';
COMMENT ON COLUMN marts.program_days.iso_weekday IS 'ISO weekday: 1 = Monday ... 7 = Sunday.';
COMMENT ON COLUMN marts.program_days.eligible_from IS 'effective_from of the eligible-call-types entry in force (staging.program_eligible_call_types); NULL before the first entry.';
COMMENT ON COLUMN marts.program_days.eligible_label IS 'Label of that entry.';
COMMENT ON COLUMN marts.program_days.area_from IS 'effective_from of the service-area entry in force (staging.program_service_area); NULL before the first entry.';
COMMENT ON COLUMN marts.program_days.area_label IS 'Label of that entry.';
COMMENT ON COLUMN marts.program_days.citywide IS 'true when every beat was served that day.';
COMMENT ON COLUMN marts.program_days.hours_from IS 'effective_from of the service-hours entry in force (staging.program_service_hours); NULL before the first entry.';
COMMENT ON COLUMN marts.program_days.hours_label IS 'Label of that entry.';
COMMENT ON COLUMN marts.program_days.service_start IS 'Local time service started that day (inclusive); NULL when the entry in force serves no hours on this weekday.';
COMMENT ON COLUMN marts.program_days.service_end IS 'Local time service ended that day (exclusive); NULL when there was no service.';
COMMENT ON COLUMN marts.program_days.service_minutes IS 'Minutes of service that day as the clock on the wall reads them (service_end - service_start); 0 when none.';
COMMENT ON COLUMN marts.program_days.capacity_from IS 'effective_from of the capacity entry in force (staging.program_capacity); NULL before the first entry.';
COMMENT ON COLUMN marts.program_days.in_person_teams IS 'Teams on shift of the units the configuration marks in_person and crisis_response (Community Response, Co-Response in Durham) that exist that day: how many calls HEART could attend at once.';
COMMENT ON COLUMN marts.program_days.ccd_clinicians IS 'Crisis Call Diversion clinicians on shift in the 911 center.';
COMMENT ON COLUMN marts.program_days.care_navigators IS 'Care Navigation staff on shift.';

COMMENT ON TABLE marts.cad_incidents IS 'One row per CAD incident (its latest version, from staging.cad_incidents), with its local time, what the program had in force for it (eligible, in_service_area, in_service_hours, in_coverage), and summaries of the units sent and of the HEART responses that answered it (responses linked by incident number, crisis-response units only).';
COMMENT ON COLUMN marts.cad_incidents.incident_id IS 'CAD incident number.';
COMMENT ON COLUMN marts.cad_incidents.received_at IS 'Call received at the 911 center: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN marts.cad_incidents.received_local IS 'received_at as local wall-clock time in the program time zone (TIMESTAMP, no zone).';
COMMENT ON COLUMN marts.cad_incidents.received_date IS 'Local date the call was received (program time zone): the date the metrics place the call by.';
COMMENT ON COLUMN marts.cad_incidents.received_hour IS 'Local hour the call was received, 0-23.';
COMMENT ON COLUMN marts.cad_incidents.received_iso_weekday IS 'Local weekday the call was received: 1 = Monday ... 7 = Sunday.';
COMMENT ON COLUMN marts.cad_incidents.initial_call_type IS 'Call type assigned at intake (source code): eligibility is decided on it.';
COMMENT ON COLUMN marts.cad_incidents.initial_call_type_label IS 'Description of initial_call_type from the profile''s lookup.';
COMMENT ON COLUMN marts.cad_incidents.final_call_type IS 'Call type at close (source code).';
COMMENT ON COLUMN marts.cad_incidents.final_call_type_label IS 'Description of final_call_type from the profile''s lookup.';
COMMENT ON COLUMN marts.cad_incidents.priority IS 'Dispatch priority as the source numbers it.';
COMMENT ON COLUMN marts.cad_incidents.beat IS 'Police beat of the call; NULL when the export gave none.';
COMMENT ON COLUMN marts.cad_incidents.disposition IS 'How the call was closed (source code).';
COMMENT ON COLUMN marts.cad_incidents.disposition_label IS 'Description of disposition from the profile''s lookup.';
COMMENT ON COLUMN marts.cad_incidents.eligible IS 'true when the initial call type was on the eligible list in force on the local date received (marts.program_days).';
COMMENT ON COLUMN marts.cad_incidents.in_service_area IS 'true when the beat was served that day (every beat once citywide); a call with no beat is outside until service is citywide.';
COMMENT ON COLUMN marts.cad_incidents.in_service_hours IS 'true when the local time received falls within that day''s service hours [start, end).';
COMMENT ON COLUMN marts.cad_incidents.units_assigned IS 'Unit assignments on the incident, any discipline (staging.cad_unit_assignments).';
COMMENT ON COLUMN marts.cad_incidents.police_units IS 'Assignments of police units.';
COMMENT ON COLUMN marts.cad_incidents.fire_ems_units IS 'Assignments of fire or EMS units.';
COMMENT ON COLUMN marts.cad_incidents.first_police_dispatched_at IS 'First police unit dispatched: instant (UTC); NULL when no police unit was sent or no dispatch time was recorded.';
COMMENT ON COLUMN marts.cad_incidents.first_police_arrived_at IS 'First police unit on scene: instant (UTC); NULL when none arrived or no arrival was recorded.';
COMMENT ON COLUMN marts.cad_incidents.police_unit_hours IS 'Officer time on the call, in hours: the sum over police units of dispatched to cleared. NULL when there was no police unit or any police unit lacks either time.';
COMMENT ON COLUMN marts.cad_incidents.heart_responses IS 'Linked HEART responses from crisis-response units (Crisis Call Diversion, Community Response, Co-Response); 0 when none.';
COMMENT ON COLUMN marts.cad_incidents.heart_in_person_responses IS 'Of those, responses from in-person units.';
COMMENT ON COLUMN marts.cad_incidents.heart_units IS 'Crisis-response unit codes that answered (CCD, CR, COR), sorted, each once; empty list when none.';
COMMENT ON COLUMN marts.cad_incidents.heart_police_requested IS 'true when any of those responses requested police on scene.';
COMMENT ON COLUMN marts.cad_incidents.first_heart_received_at IS 'First time a linked crisis response reached HEART: instant (UTC); NULL when none.';
COMMENT ON COLUMN marts.cad_incidents.first_heart_arrived_at IS 'First arrival of an in-person crisis-response team: instant (UTC); NULL when none arrived.';
COMMENT ON COLUMN marts.cad_incidents.exports_seen IS 'Number of exports (files) with an accepted row for this incident.';
COMMENT ON COLUMN marts.cad_incidents.source_file IS 'Input file the incident''s latest version came from.';
COMMENT ON COLUMN marts.cad_incidents.in_coverage IS 'in_service_area and in_service_hours: the configuration says HEART could have taken the call (the metrics ask it of eligible calls).';

COMMENT ON TABLE marts.heart_responses IS 'One row per HEART response (latest version, from staging.heart_responses), with its unit''s role from the configuration, local time, the CAD incident it answered when linked, and the measures the metrics use: response_minutes, the busy interval, follow-up on time.';
COMMENT ON COLUMN marts.heart_responses.response_id IS 'HEART response id.';
COMMENT ON COLUMN marts.heart_responses.cad_incident_id IS 'CAD incident answered, as the HEART log names it; NULL for walk-ups.';
COMMENT ON COLUMN marts.heart_responses.cad_linked IS 'true when cad_incident_id names an incident in the warehouse.';
COMMENT ON COLUMN marts.heart_responses.unit IS 'HEART unit code: CCD Crisis Call Diversion, CR Community Response, COR Co-Response, CN Care Navigation.';
COMMENT ON COLUMN marts.heart_responses.unit_name IS 'Unit name from the configuration (staging.program_units).';
COMMENT ON COLUMN marts.heart_responses.unit_in_person IS 'true when the unit sends a team into the field (configuration).';
COMMENT ON COLUMN marts.heart_responses.crisis_response IS 'true when the unit can answer an eligible call (configuration; false for Care Navigation).';
COMMENT ON COLUMN marts.heart_responses.team IS 'Team or clinician group, as logged.';
COMMENT ON COLUMN marts.heart_responses.received_at IS 'Request reached HEART: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN marts.heart_responses.received_local IS 'received_at as local wall-clock time in the program time zone (TIMESTAMP, no zone).';
COMMENT ON COLUMN marts.heart_responses.received_date IS 'Local date the request reached HEART (program time zone): the date the response metrics place it by.';
COMMENT ON COLUMN marts.heart_responses.received_hour IS 'Local hour the request reached HEART, 0-23.';
COMMENT ON COLUMN marts.heart_responses.dispatched_at IS 'Team dispatched: instant (UTC); NULL when not recorded (phone-only contacts).';
COMMENT ON COLUMN marts.heart_responses.arrived_at IS 'Team arrived on scene: instant (UTC); NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.cleared_at IS 'Team cleared: instant (UTC); NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.contact_mode IS 'in_person, phone or none.';
COMMENT ON COLUMN marts.heart_responses.resolved_without_in_person IS 'Resolved with no in-person contact; NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.police_requested IS 'Responders requested police on scene; NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.felt_safe IS 'Responders felt safe; NULL when not asked.';
COMMENT ON COLUMN marts.heart_responses.outcome IS 'resolved_on_scene, referred, transported, declined or unable_to_locate; NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.person_key IS 'Pseudonym of the HEART log''s person key (a keyed hash made at ingest; the key as written is never stored): counts distinct people reached.';
COMMENT ON COLUMN marts.heart_responses.followup_due_at IS 'Care Navigation follow-up due: instant (UTC); NULL when none is due.';
COMMENT ON COLUMN marts.heart_responses.followup_due_date IS 'Local date the follow-up was due (program time zone).';
COMMENT ON COLUMN marts.heart_responses.followup_done_at IS 'Follow-up done: instant (UTC); NULL when not (yet) done.';
COMMENT ON COLUMN marts.heart_responses.followup_on_time IS 'true when the follow-up was done at or before its due time; false when it was late or not done; NULL when done with no due time.';
COMMENT ON COLUMN marts.heart_responses.incident_received_at IS 'The linked CAD call''s received time: instant (UTC); NULL when unlinked.';
COMMENT ON COLUMN marts.heart_responses.incident_received_date IS 'Local date the linked CAD call was received (program time zone).';
COMMENT ON COLUMN marts.heart_responses.incident_units_assigned IS 'Unit assignments on the linked CAD incident, any discipline.';
COMMENT ON COLUMN marts.heart_responses.incident_heart_in_person_responses IS 'Responses from in-person crisis-response units linked to the same CAD incident (this one included when it is one).';
COMMENT ON COLUMN marts.heart_responses.initial_call_type IS 'Initial call type of the linked CAD incident (source code); NULL when unlinked.';
COMMENT ON COLUMN marts.heart_responses.beat IS 'Police beat of the linked CAD incident; NULL when unlinked.';
COMMENT ON COLUMN marts.heart_responses.incident_eligible IS 'The linked CAD incident was eligible (marts.cad_incidents.eligible); NULL when unlinked.';
COMMENT ON COLUMN marts.heart_responses.incident_in_coverage IS 'The linked CAD incident was in coverage (marts.cad_incidents.in_coverage); NULL when unlinked.';
COMMENT ON COLUMN marts.heart_responses.response_minutes IS 'Minutes from the CAD call received to this response''s arrival on scene; in-person units and linked responses with an arrival only, else NULL.';
COMMENT ON COLUMN marts.heart_responses.busy_from IS 'Start of the interval the team was committed: dispatched, or received when not dispatched (instant, UTC).';
COMMENT ON COLUMN marts.heart_responses.busy_until IS 'End of that interval: cleared (instant, UTC); NULL when not recorded.';
COMMENT ON COLUMN marts.heart_responses.source_file IS 'Input file the response''s latest version came from.';

COMMENT ON TABLE marts.eligible_calls IS 'One row per CAD incident eligible for HEART (marts.cad_incidents with eligible = true): whether a crisis-response unit answered it and, if not, the first reason that applies (outside_service_hours, outside_service_area, no_team_free, not_routed).';
COMMENT ON COLUMN marts.eligible_calls.incident_id IS 'CAD incident number.';
COMMENT ON COLUMN marts.eligible_calls.received_at IS 'Call received at the 911 center: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN marts.eligible_calls.received_local IS 'received_at as local wall-clock time in the program time zone (TIMESTAMP, no zone).';
COMMENT ON COLUMN marts.eligible_calls.received_date IS 'Local date the call was received (program time zone).';
COMMENT ON COLUMN marts.eligible_calls.received_hour IS 'Local hour the call was received, 0-23.';
COMMENT ON COLUMN marts.eligible_calls.received_iso_weekday IS 'Local weekday the call was received: 1 = Monday ... 7 = Sunday.';
COMMENT ON COLUMN marts.eligible_calls.initial_call_type IS 'Call type assigned at intake (source code): on the eligible list that day.';
COMMENT ON COLUMN marts.eligible_calls.initial_call_type_label IS 'Description of initial_call_type from the profile''s lookup.';
COMMENT ON COLUMN marts.eligible_calls.priority IS 'Dispatch priority as the source numbers it.';
COMMENT ON COLUMN marts.eligible_calls.beat IS 'Police beat of the call; NULL when the export gave none.';
COMMENT ON COLUMN marts.eligible_calls.in_service_area IS 'true when the beat was served that day (every beat once citywide).';
COMMENT ON COLUMN marts.eligible_calls.in_service_hours IS 'true when the local time received falls within that day''s service hours [start, end).';
COMMENT ON COLUMN marts.eligible_calls.in_coverage IS 'in_service_area and in_service_hours.';
COMMENT ON COLUMN marts.eligible_calls.answered IS 'true when at least one linked response came from a crisis-response unit (Crisis Call Diversion, Community Response, Co-Response).';
COMMENT ON COLUMN marts.eligible_calls.answered_by_ccd IS 'true when Crisis Call Diversion answered.';
COMMENT ON COLUMN marts.eligible_calls.answered_by_cr IS 'true when Community Response answered.';
COMMENT ON COLUMN marts.eligible_calls.answered_by_cor IS 'true when Co-Response answered.';
COMMENT ON COLUMN marts.eligible_calls.heart_units IS 'Crisis-response unit codes that answered (CCD, CR, COR), sorted, each once; empty list when none.';
COMMENT ON COLUMN marts.eligible_calls.teams_on_shift IS 'In-person crisis-response teams on shift that day (marts.program_days.in_person_teams).';
COMMENT ON COLUMN marts.eligible_calls.teams_busy IS 'For unanswered calls in coverage: in-person teams busy when the call came in, unit by unit: the sum over in-person crisis-response units on shift of least(that unit''s responses open, its teams), a response open while busy_from <= received_at < busy_until in marts.heart_responses; NULL otherwise.';
COMMENT ON COLUMN marts.eligible_calls.unmet_reason IS 'For unanswered calls, the first reason that applies: outside_service_hours, outside_service_area, no_team_free (every in-person unit with teams on shift had at least that many responses open: teams_busy >= teams_on_shift), not_routed (in coverage with a team free); NULL when answered.';
COMMENT ON COLUMN marts.eligible_calls.police_units IS 'Assignments of police units on the incident in CAD.';
COMMENT ON COLUMN marts.eligible_calls.first_police_arrived_at IS 'First police unit on scene: instant (UTC); NULL when none arrived or no arrival was recorded.';

COMMENT ON TABLE marts.heart_handled_incidents IS 'One row per CAD incident and crisis-response unit that answered it (linked responses only; an incident answered by two units has two rows), with whether the incident was diverted from police.';
COMMENT ON COLUMN marts.heart_handled_incidents.incident_id IS 'CAD incident number.';
COMMENT ON COLUMN marts.heart_handled_incidents.unit IS 'Crisis-response unit that answered: CCD, CR or COR.';
COMMENT ON COLUMN marts.heart_handled_incidents.received_at IS 'Call received at the 911 center: instant (TIMESTAMPTZ, stored as UTC).';
COMMENT ON COLUMN marts.heart_handled_incidents.received_date IS 'Local date the call was received (program time zone).';
COMMENT ON COLUMN marts.heart_handled_incidents.initial_call_type IS 'Call type assigned at intake (source code).';
COMMENT ON COLUMN marts.heart_handled_incidents.eligible IS 'true when the call type was eligible that day (marts.cad_incidents.eligible).';
COMMENT ON COLUMN marts.heart_handled_incidents.police_units IS 'Assignments of police units on the incident in CAD.';
COMMENT ON COLUMN marts.heart_handled_incidents.heart_police_requested IS 'true when any crisis-response unit''s response to the incident (CCD, CR, COR; not a Care Navigation follow-up) requested police on scene.';
COMMENT ON COLUMN marts.heart_handled_incidents.diverted IS 'true when no police unit appears on the incident in CAD and no crisis-response unit''s response to it requested police (a Care Navigation follow-up''s request is not police involvement in the 911 call).';

COMMENT ON TABLE marts.police_time_by_call_type IS 'One row per initial call type: how much officer time a call of that type typically takes when police handle it. Comparable incidents have at least one police unit, no HEART crisis response, and every police unit''s dispatch and clear time recorded. Feeds officer-hours saved.';
COMMENT ON COLUMN marts.police_time_by_call_type.initial_call_type IS 'Call type assigned at intake (source code).';
COMMENT ON COLUMN marts.police_time_by_call_type.comparable_incidents IS 'Comparable police-handled incidents of this call type in the warehouse.';
COMMENT ON COLUMN marts.police_time_by_call_type.mean_police_unit_hours IS 'Mean officer time per comparable incident, in hours (sum over its police units of dispatched to cleared): the typical value officer-hours saved uses.';
COMMENT ON COLUMN marts.police_time_by_call_type.median_police_unit_hours IS 'Median officer time per comparable incident, in hours.';
COMMENT ON COLUMN marts.police_time_by_call_type.mean_police_units IS 'Mean number of police units per comparable incident.';

COMMENT ON TABLE marts.response_times IS 'Minutes from the CAD call being received to the first arrival on scene, one row per incident and responder: CR or COR (first arrival of that in-person HEART unit, linked responses), or POLICE (first police arrival on an eligible call HEART did not answer: the comparison for the same call types).';
COMMENT ON COLUMN marts.response_times.incident_id IS 'CAD incident number.';
COMMENT ON COLUMN marts.response_times.received_date IS 'Local date the call was received (program time zone).';
COMMENT ON COLUMN marts.response_times.initial_call_type IS 'Call type assigned at intake (source code).';
COMMENT ON COLUMN marts.response_times.responder IS 'Who arrived: an in-person HEART unit code (CR, COR) or POLICE.';
COMMENT ON COLUMN marts.response_times.minutes IS 'Minutes from the call received to the responder''s first arrival on scene.';

-- The impact marts (issue 16; sql/marts/_impact_base.sql, impact_beat_week.sql, impact_hour_week.sql).
-- The definitions below are the one place each outcome is defined; pipeline/impact reads only these two tables.
COMMENT ON TABLE marts.impact_beat_week IS 'One row per beat x week (Monday to Sunday, local), every week from the first CAD week to the last, weeks before the launch included, zeros filled: outcomes of the impact call types and the share of the beat-week the program served. Impact call types: the eligible list in force on the launch day, fixed over the whole history. Beats: config [beats] all when listed, else every beat in the CAD data; calls with no beat or a beat not listed are not counted. Repeat calls match on the same block where the source profile maps one (block_key, a keyed hash), else on beat and call type only (the run summary names such profiles). Rebuilt whole on every build.';
COMMENT ON COLUMN marts.impact_beat_week.beat IS 'Police beat, upper case and trimmed (as marts.cad_incidents.beat).';
COMMENT ON COLUMN marts.impact_beat_week.week_start IS 'Monday of the week: local date (program time zone); the week is Monday 00:00 to Sunday 24:00 local.';
COMMENT ON COLUMN marts.impact_beat_week.served_from IS 'First local day the beat was in the service area in force (config/program.toml [[service_area]], on or after the launch date), whatever the hours; NULL if never. The beat''s cohort in the staggered design.';
COMMENT ON COLUMN marts.impact_beat_week.served_share IS 'Share of the beat-week''s 168 wall-clock hours that were served: the beat in the service area in force that day AND the hour inside that day''s service hours [start, end) (a partly covered hour counts its covered minutes / 60). 0 before the launch and for beats never served. Hours of days outside the data (a partial week) count as in the configuration; a DST day counts 24 clock hours.';
COMMENT ON COLUMN marts.impact_beat_week.partial_week IS 'true when the data does not cover the whole week: the week starts before the first local day with a CAD call or ends after the last one. Counts of a partial week are low for that reason alone.';
COMMENT ON COLUMN marts.impact_beat_week.impact_calls IS 'CAD incidents received that week in the beat whose initial call type is an impact call type (eligible at launch), whoever answered.';
COMMENT ON COLUMN marts.impact_beat_week.police_handled_calls IS 'Impact calls with at least one police unit assigned (discipline police in the profile''s lookup), whether or not HEART also answered.';
COMMENT ON COLUMN marts.impact_beat_week.police_unit_hours IS 'Officer time on the impact calls, hours: per call the sum over its police units of dispatched -> cleared (marts.cad_incidents.police_unit_hours); a call where any police unit lacks either time adds nothing (the pipeline''s officer-time rule). 0 when no such call.';
COMMENT ON COLUMN marts.impact_beat_week.arrests IS 'Impact calls whose disposition the source profile maps to outcome class arrest ([outcome_classes]; Durham: ARR). NULL (unknown, not 0) when a profile with impact calls maps no arrest code.';
COMMENT ON COLUMN marts.impact_beat_week.ems_transports IS 'Impact calls whose disposition the source profile maps to outcome class ems_transport ([outcome_classes]; Durham: TRN). NULL (unknown, not 0) when a profile with impact calls maps no transport code.';
COMMENT ON COLUMN marts.impact_beat_week.repeat_calls IS 'Impact calls with an earlier impact call of the same initial call type at the same block (block_key) in the same beat received at most 30 days (30 x 24 hours) before; calls at one instant are ordered by incident number. Where the profile maps no block: same beat and call type only. A call with no block under a profile that maps blocks is never a repeat. The earlier call may fall in an earlier week.';
COMMENT ON COLUMN marts.impact_beat_week.heart_answered_calls IS 'Impact calls HEART answered: at least one linked response of a crisis-response unit (marts.eligible_calls.answered''s definition), in or out of coverage.';
COMMENT ON COLUMN marts.impact_beat_week.police_only_calls IS 'Impact calls handled by police alone: at least one police unit and no HEART answer (police_handled_calls less those HEART also answered). The population of the arrest and transport rates and of the sample generator''s true effect: in served hours about half the police-handled impact calls are also HEART-answered and end without an arrest, so arrests per police_handled_calls falls there by HEART''s presence alone.';
COMMENT ON COLUMN marts.impact_beat_week.police_only_arrests IS 'Of police_only_calls, those whose disposition the profile maps to arrest (the numerator of the arrest rate per police-handled call); NULL when a profile with impact calls maps no arrest code.';
COMMENT ON COLUMN marts.impact_beat_week.police_only_ems_transports IS 'Of police_only_calls, those whose disposition the profile maps to ems_transport; NULL when a profile with impact calls maps no transport code.';

COMMENT ON TABLE marts.impact_hour_week IS 'One row per beat x hour of day (0-23, local) x week (Monday, local), every week from the first CAD week to the last, weeks before the launch included, zeros filled: the outcomes of marts.impact_beat_week counted by the hour the call was received, and the share of that hour the program served over the week. The served-hours design''s data: hours never served (nights) are its controls. Same definitions, beats, call types and repeat-call rule as marts.impact_beat_week. Rebuilt whole on every build.';
COMMENT ON COLUMN marts.impact_hour_week.beat IS 'Police beat, upper case and trimmed (as marts.cad_incidents.beat).';
COMMENT ON COLUMN marts.impact_hour_week.hour_of_day IS 'Hour of the local wall clock the call was received in: 0 = 00:00-00:59 ... 23.';
COMMENT ON COLUMN marts.impact_hour_week.week_start IS 'Monday of the week: local date (program time zone).';
COMMENT ON COLUMN marts.impact_hour_week.served_from IS 'First local day this hour of this beat was served (the beat in the service area and some of the hour inside that day''s service hours, on or after the launch date); NULL if never (e.g. night hours). The beat-hour''s cohort.';
COMMENT ON COLUMN marts.impact_hour_week.served_share IS 'Share of the week''s 7 occurrences of this clock hour that were served, each counted by its covered minutes / 60 (the beat in the service area in force that day and the hour inside that day''s service hours). 0 before the launch.';
COMMENT ON COLUMN marts.impact_hour_week.partial_week IS 'true when the data does not cover the whole week (as in marts.impact_beat_week).';
COMMENT ON COLUMN marts.impact_hour_week.impact_calls IS 'Impact-type CAD incidents received that week in the beat in this local hour.';
COMMENT ON COLUMN marts.impact_hour_week.police_handled_calls IS 'Impact calls with at least one police unit assigned.';
COMMENT ON COLUMN marts.impact_hour_week.police_unit_hours IS 'Officer time on the impact calls, hours (dispatched -> cleared summed over police units; a call with an incomplete police unit adds nothing).';
COMMENT ON COLUMN marts.impact_hour_week.arrests IS 'Impact calls whose disposition the profile maps to arrest; NULL when a profile with impact calls maps no arrest code.';
COMMENT ON COLUMN marts.impact_hour_week.ems_transports IS 'Impact calls whose disposition the profile maps to ems_transport; NULL when a profile with impact calls maps no transport code.';
COMMENT ON COLUMN marts.impact_hour_week.repeat_calls IS 'Impact calls with an earlier impact call of the same type at the same block and beat at most 30 days before (as in marts.impact_beat_week; the earlier call may be in any hour).';
COMMENT ON COLUMN marts.impact_hour_week.heart_answered_calls IS 'Impact calls HEART answered (a linked crisis-response unit''s response).';
COMMENT ON COLUMN marts.impact_hour_week.police_only_calls IS 'Impact calls handled by police alone: at least one police unit and no HEART answer (police_handled_calls less those HEART also answered). The population of the arrest and transport rates and of the sample generator''s true effect: in served hours about half the police-handled impact calls are also HEART-answered and end without an arrest, so arrests per police_handled_calls falls there by HEART''s presence alone.';
COMMENT ON COLUMN marts.impact_hour_week.police_only_arrests IS 'Of police_only_calls, those whose disposition the profile maps to arrest (the numerator of the arrest rate per police-handled call); NULL when a profile with impact calls maps no arrest code.';
COMMENT ON COLUMN marts.impact_hour_week.police_only_ems_transports IS 'Of police_only_calls, those whose disposition the profile maps to ems_transport; NULL when a profile with impact calls maps no transport code.';
