public enum ConfigFilesPlaceholder {}
