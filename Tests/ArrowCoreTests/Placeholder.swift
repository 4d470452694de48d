// Placeholder so SwiftPM sees a non-empty target; remove once the target has sources.
