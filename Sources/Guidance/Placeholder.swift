public enum GuidancePlaceholder {}
