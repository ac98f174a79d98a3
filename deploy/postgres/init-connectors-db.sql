-- Run once by the postgres image on an empty volume: the connectors' shared store lives next to
-- Temporal's databases (its tables are created by `lucca-connectors setup`).
CREATE DATABASE lucca_connectors;
