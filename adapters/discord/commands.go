package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/planbot/planbot/bot"
)

// maxDescription is Discord's limit on command and option descriptions.
const maxDescription = 100

// published reports whether a bot command becomes a slash command: /start is
// Telegram's welcome, which Discord has no use for.
func published(c bot.Command) bool { return c != bot.CommandStart }

// commandName is the slash command name for c: Discord wants lower case.
func commandName(c bot.Command) string { return strings.ToLower(string(c)) }

// commandNames maps the registered slash command names back to the commands.
func commandNames() map[string]bot.Command {
	names := map[string]bot.Command{}
	for _, info := range bot.Commands(bot.English) {
		if published(info.Command) {
			names[commandName(info.Command)] = info.Command
		}
	}
	return names
}

// slashCommands describes the commands for registration, in English with
// en-US and zh-CN localizations.
func slashCommands() []*discordgo.ApplicationCommand {
	zh := map[bot.Command]bot.CommandInfo{}
	for _, info := range bot.Commands(bot.Chinese) {
		zh[info.Command] = info
	}
	var cmds []*discordgo.ApplicationCommand
	for _, en := range bot.Commands(bot.English) {
		if !published(en.Command) {
			continue
		}
		cn, ok := zh[en.Command]
		if !ok {
			cn = en
		}
		name := commandName(en.Command)
		cmd := &discordgo.ApplicationCommand{
			Type:                     discordgo.ChatApplicationCommand,
			Name:                     name,
			NameLocalizations:        &map[discordgo.Locale]string{discordgo.EnglishUS: name, discordgo.ChineseCN: cn.Name},
			Description:              truncate(en.Description, maxDescription),
			DescriptionLocalizations: localized(en.Description, cn.Description),
		}
		if en.Argument != "" {
			arg := strings.ToLower(en.Argument)
			cmd.Options = []*discordgo.ApplicationCommandOption{{
				Type:                     discordgo.ApplicationCommandOptionString,
				Name:                     arg,
				NameLocalizations:        map[discordgo.Locale]string{discordgo.EnglishUS: arg, discordgo.ChineseCN: strings.ToLower(cn.Argument)},
				Description:              truncate(en.ArgumentDescription, maxDescription),
				DescriptionLocalizations: *localized(en.ArgumentDescription, cn.ArgumentDescription),
				Required:                 true,
				Autocomplete:             true,
			}}
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

func localized(en, zh string) *map[discordgo.Locale]string {
	return &map[discordgo.Locale]string{
		discordgo.EnglishUS: truncate(en, maxDescription),
		discordgo.ChineseCN: truncate(zh, maxDescription),
	}
}

// register replaces the application's commands with the current set, in one
// guild when one is configured (they appear at once) or globally. Replacing
// the whole set makes registration idempotent and drops retired commands.
// It reports whether the commands are registered.
func (b *Bot) register(ctx context.Context) bool {
	self := b.self.Load()
	if self == nil {
		b.log.Error("cannot register commands: READY did not say who the bot is")
		b.observer.PlatformError("register_commands")
		return false
	}
	cmds := slashCommands()
	if _, err := b.session.ApplicationCommandBulkOverwrite(self.appID, b.guildID, cmds, discordgo.WithContext(ctx)); err != nil {
		b.failed("register_commands", err)
		return false
	}
	scope := "global"
	if b.guildID != "" {
		scope = "guild " + b.guildID
	}
	b.log.Info("registered slash commands", "count", len(cmds), "scope", scope)
	return true
}
